using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Data.Migrations;

/// <summary>
/// Which plans started each run and batch (a re-run must use the same ones), a batch's inputs (to start hosts
/// that never started) and its cancel flag. Runs and batches from before were all started with the stack's plans.
/// </summary>
[DbContext(typeof(ControlPanelDb))]
[Migration("20261122000005_RunCatalog")]
public sealed class M0005_RunCatalog : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("Catalog", "Runs", "TEXT", nullable: false, defaultValue: "stack");
        m.AddColumn<string>("Catalog", "Batches", "TEXT", nullable: false, defaultValue: "stack");
        m.AddColumn<string>("InputsJson", "Batches", "TEXT", nullable: true);
        m.AddColumn<bool>("CancelRequested", "Batches", "INTEGER", nullable: false, defaultValue: false);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropColumn("CancelRequested", "Batches");
        m.DropColumn("InputsJson", "Batches");
        m.DropColumn("Catalog", "Batches");
        m.DropColumn("Catalog", "Runs");
    }
}
