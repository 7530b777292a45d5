using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Data.Migrations;

/// <summary>
/// The key and arguments of the engine's messages (UserMessage JSON) beside their English text, so the panel can
/// show them translated. Older rows keep only the text. Written by hand like M0001.
/// </summary>
[DbContext(typeof(ControlPanelDb))]
[Migration("20261122000006_MessageKeys")]
public sealed class M0006_MessageKeys : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("ErrorJson", "Runs", "TEXT", nullable: true);
        m.AddColumn<string>("ErrorJson", "StageRuns", "TEXT", nullable: true);
        m.AddColumn<string>("CheckReasonJson", "StageRuns", "TEXT", nullable: true);
        m.AddColumn<string>("MessageJson", "RunEvents", "TEXT", nullable: true);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropColumn("MessageJson", "RunEvents");
        m.DropColumn("CheckReasonJson", "StageRuns");
        m.DropColumn("ErrorJson", "StageRuns");
        m.DropColumn("ErrorJson", "Runs");
    }
}
