using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Data.Migrations;

/// <summary>Runs, stage runs and their state history. Written by hand: the EF design-time tools do not restore here.</summary>
[DbContext(typeof(ControlPanelDb))]
[Migration("20261121000001_Runs")]
public sealed class M0001_Runs : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("Runs", t => new
        {
            Id = t.Column<long>("INTEGER").Annotation("Sqlite:Autoincrement", true),
            Kind = t.Column<string>("TEXT"),
            HostSpec = t.Column<string>("TEXT"),
            HostKey = t.Column<string>("TEXT"),
            State = t.Column<string>("TEXT"),
            InputsJson = t.Column<string>("TEXT"),
            RequestedBy = t.Column<string>("TEXT", nullable: true),
            CreatedAt = t.Column<DateTime>("TEXT"),
            StartedAt = t.Column<DateTime>("TEXT", nullable: true),
            EndedAt = t.Column<DateTime>("TEXT", nullable: true),
            Error = t.Column<string>("TEXT", nullable: true),
            Attempts = t.Column<int>("INTEGER"),
            CancelRequested = t.Column<bool>("INTEGER"),
        }, constraints: t => t.PrimaryKey("PK_Runs", x => x.Id));
        m.CreateIndex("IX_Runs_State", "Runs", "State");

        m.CreateTable("StageRuns", t => new
        {
            Id = t.Column<long>("INTEGER").Annotation("Sqlite:Autoincrement", true),
            RunId = t.Column<long>("INTEGER"),
            Index = t.Column<int>("INTEGER"),
            Name = t.Column<string>("TEXT"),
            Title = t.Column<string>("TEXT"),
            State = t.Column<string>("TEXT"),
            Attempts = t.Column<int>("INTEGER"),
            StartedAt = t.Column<DateTime>("TEXT", nullable: true),
            EndedAt = t.Column<DateTime>("TEXT", nullable: true),
            Error = t.Column<string>("TEXT", nullable: true),
            CheckReason = t.Column<string>("TEXT", nullable: true),
            LogFile = t.Column<string>("TEXT"),
            LogLines = t.Column<long>("INTEGER"),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_StageRuns", x => x.Id);
            t.ForeignKey("FK_StageRuns_Runs_RunId", x => x.RunId, "Runs", "Id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("IX_StageRuns_RunId_Index", "StageRuns", ["RunId", "Index"], unique: true);

        m.CreateTable("RunEvents", t => new
        {
            Id = t.Column<long>("INTEGER").Annotation("Sqlite:Autoincrement", true),
            RunId = t.Column<long>("INTEGER"),
            StageIndex = t.Column<int>("INTEGER", nullable: true),
            State = t.Column<string>("TEXT"),
            At = t.Column<DateTime>("TEXT"),
            Message = t.Column<string>("TEXT", nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_RunEvents", x => x.Id);
            t.ForeignKey("FK_RunEvents_Runs_RunId", x => x.RunId, "Runs", "Id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("IX_RunEvents_RunId", "RunEvents", "RunId");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("RunEvents");
        m.DropTable("StageRuns");
        m.DropTable("Runs");
    }
}
