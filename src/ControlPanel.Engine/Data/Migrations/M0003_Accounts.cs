using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Data.Migrations;

/// <summary>Panel users, the audit log and panel settings. Written by hand like M0001.</summary>
[DbContext(typeof(ControlPanelDb))]
[Migration("20261121000003_Accounts")]
public sealed class M0003_Accounts : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("Users", t => new
        {
            Id = t.Column<long>("INTEGER").Annotation("Sqlite:Autoincrement", true),
            UserName = t.Column<string>("TEXT"),
            PasswordHash = t.Column<string>("TEXT"),
            TotpSecret = t.Column<string>("TEXT", nullable: true),
            FailedLogins = t.Column<int>("INTEGER"),
            LockedUntil = t.Column<DateTime>("TEXT", nullable: true),
            SecurityStamp = t.Column<string>("TEXT"),
            CreatedAt = t.Column<DateTime>("TEXT"),
            LastLoginAt = t.Column<DateTime>("TEXT", nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Users", x => x.Id));
        m.CreateIndex("IX_Users_UserName", "Users", "UserName", unique: true);

        m.CreateTable("AuditLog", t => new
        {
            Id = t.Column<long>("INTEGER").Annotation("Sqlite:Autoincrement", true),
            At = t.Column<DateTime>("TEXT"),
            User = t.Column<string>("TEXT"),
            Action = t.Column<string>("TEXT"),
            Detail = t.Column<string>("TEXT", nullable: true),
            RemoteAddress = t.Column<string>("TEXT", nullable: true),
        }, constraints: t => t.PrimaryKey("PK_AuditLog", x => x.Id));
        m.CreateIndex("IX_AuditLog_At", "AuditLog", "At");

        m.CreateTable("Settings", t => new
        {
            Key = t.Column<string>("TEXT"),
            Value = t.Column<string>("TEXT"),
        }, constraints: t => t.PrimaryKey("PK_Settings", x => x.Key));
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("Settings");
        m.DropTable("AuditLog");
        m.DropTable("Users");
    }
}
