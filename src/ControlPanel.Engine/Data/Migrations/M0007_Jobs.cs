using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Data.Migrations;

/// <summary>TEMPORARY until the generated migrations land: Hangfire job columns.</summary>
[DbContext(typeof(ControlPanelDb))]
[Migration("20261202000007_Jobs")]
public sealed class M0007_Jobs : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("JobQueue", "Runs", "TEXT", nullable: true);
        m.AddColumn<string>("JobId", "Runs", "TEXT", nullable: true);
        m.AddColumn<string>("JobTicket", "Runs", "TEXT", nullable: true);
        m.AddColumn<string>("PendingJson", "Batches", "TEXT", nullable: false, defaultValue: "[]");
    }

    protected override void Down(MigrationBuilder m) { }
}
