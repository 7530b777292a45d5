using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Data.Migrations;

/// <summary>The host inventory, batches of runs on several hosts, and each run's batch and host name. Written by hand like M0001.</summary>
[DbContext(typeof(ControlPanelDb))]
[Migration("20261122000004_Fleet")]
public sealed class M0004_Fleet : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("Hosts", t => new
        {
            Id = t.Column<long>("INTEGER").Annotation("Sqlite:Autoincrement", true),
            Name = t.Column<string>("TEXT"),
            User = t.Column<string>("TEXT"),
            Address = t.Column<string>("TEXT"),
            Port = t.Column<int>("INTEGER"),
            KeyPath = t.Column<string>("TEXT", nullable: true),
            Labels = t.Column<string>("TEXT"),
            PinnedFingerprints = t.Column<string>("TEXT", nullable: true),
            PinnedAt = t.Column<DateTime>("TEXT", nullable: true),
            CreatedAt = t.Column<DateTime>("TEXT"),
        }, constraints: t => t.PrimaryKey("PK_Hosts", x => x.Id));
        m.CreateIndex("IX_Hosts_Name", "Hosts", "Name", unique: true);
        m.CreateIndex("IX_Hosts_User_Address_Port", "Hosts", ["User", "Address", "Port"], unique: true);

        m.CreateTable("Batches", t => new
        {
            Id = t.Column<long>("INTEGER").Annotation("Sqlite:Autoincrement", true),
            Kind = t.Column<string>("TEXT"),
            Parallel = t.Column<int>("INTEGER"),
            TargetsJson = t.Column<string>("TEXT"),
            RequestedBy = t.Column<string>("TEXT", nullable: true),
            CreatedAt = t.Column<DateTime>("TEXT"),
        }, constraints: t => t.PrimaryKey("PK_Batches", x => x.Id));

        // SQLite cannot add a foreign key to an existing table without rebuilding it; the index is what queries need.
        m.AddColumn<long>("BatchId", "Runs", "INTEGER", nullable: true);
        m.AddColumn<string>("HostName", "Runs", "TEXT", nullable: true);
        m.CreateIndex("IX_Runs_BatchId", "Runs", "BatchId");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropIndex("IX_Runs_BatchId", "Runs");
        m.DropColumn("HostName", "Runs");
        m.DropColumn("BatchId", "Runs");
        m.DropTable("Batches");
        m.DropTable("Hosts");
    }
}
