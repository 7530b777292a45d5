using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Data.Migrations;

/// <summary>Managed certificates and their renewal state (Acme/CertificateRecord). Written by hand, as M0001.</summary>
[DbContext(typeof(ControlPanelDb))]
[Migration("20261121000002_Certificates")]
public sealed class M0002_Certificates : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("Certificates", t => new
        {
            Id = t.Column<long>("INTEGER").Annotation("Sqlite:Autoincrement", true),
            HostSpec = t.Column<string>("TEXT"),
            CertDirectory = t.Column<string>("TEXT"),
            Domains = t.Column<string>("TEXT"),
            Email = t.Column<string>("TEXT", nullable: true),
            DirectoryUrl = t.Column<string>("TEXT"),
            DirectoryCaFile = t.Column<string>("TEXT", nullable: true),
            KeyType = t.Column<string>("TEXT"),
            PreferredChain = t.Column<string>("TEXT", nullable: true),
            ChallengeMode = t.Column<string>("TEXT"),
            HttpPort = t.Column<int>("INTEGER"),
            Webroot = t.Column<string>("TEXT"),
            ListenAddress = t.Column<string>("TEXT"),
            NotBefore = t.Column<DateTime>("TEXT", nullable: true),
            NotAfter = t.Column<DateTime>("TEXT", nullable: true),
            Serial = t.Column<string>("TEXT", nullable: true),
            Issuer = t.Column<string>("TEXT", nullable: true),
            LastIssuedAt = t.Column<DateTime>("TEXT", nullable: true),
            LastAttemptAt = t.Column<DateTime>("TEXT", nullable: true),
            LastError = t.Column<string>("TEXT", nullable: true),
            FailureCount = t.Column<int>("INTEGER"),
            NextCheckAt = t.Column<DateTime>("TEXT", nullable: true),
            CreatedAt = t.Column<DateTime>("TEXT"),
        }, constraints: t => t.PrimaryKey("PK_Certificates", x => x.Id));
        m.CreateIndex("IX_Certificates_HostSpec_CertDirectory", "Certificates", ["HostSpec", "CertDirectory"], unique: true);
    }

    protected override void Down(MigrationBuilder m) => m.DropTable("Certificates");
}
