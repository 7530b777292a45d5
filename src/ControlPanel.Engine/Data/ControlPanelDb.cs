using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Runs;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ControlPanel.Engine.Data;

/// <summary>
/// The panel's SQLite database. A change to the model below needs a migration, generated from the repository root with
/// <c>dotnet tool restore &amp;&amp; dotnet ef migrations add NAME --project src/ControlPanel.Engine --output-dir Data/Migrations</c>
/// (the pinned dotnet-ef of dotnet-tools.json; <see cref="ControlPanelDbDesignTimeFactory"/> makes the context for it).
/// </summary>
public class ControlPanelDb(DbContextOptions<ControlPanelDb> options) : DbContext(options)
{
    public DbSet<RunRecord> Runs => Set<RunRecord>();
    public DbSet<StageRunRecord> StageRuns => Set<StageRunRecord>();
    public DbSet<RunEventRecord> RunEvents => Set<RunEventRecord>();
    public DbSet<CertificateRecord> Certificates => Set<CertificateRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();
    public DbSet<SettingRecord> Settings => Set<SettingRecord>();
    public DbSet<HostRecord> Hosts => Set<HostRecord>();
    public DbSet<BatchRecord> Batches => Set<BatchRecord>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<RunRecord>(e =>
        {
            e.ToTable("Runs");
            e.Property(r => r.State).HasConversion<string>();
            e.HasMany(r => r.Stages).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => r.State);
            e.HasIndex(r => r.BatchId);
        });
        b.Entity<StageRunRecord>(e =>
        {
            e.ToTable("StageRuns");
            e.Property(s => s.State).HasConversion<string>();
            e.HasIndex(s => new { s.RunId, s.Index }).IsUnique();
        });
        b.Entity<RunEventRecord>(e =>
        {
            e.ToTable("RunEvents");
            e.Property(s => s.State).HasConversion<string>();
            e.HasIndex(s => s.RunId);
            e.HasOne<RunRecord>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<CertificateRecord>(e =>
        {
            e.ToTable("Certificates");
            e.Ignore(c => c.DomainList);
            e.HasIndex(c => new { c.HostSpec, c.CertDirectory }).IsUnique();
        });
        b.Entity<UserRecord>(e =>
        {
            e.ToTable("Users");
            e.HasIndex(u => u.UserName).IsUnique();
        });
        b.Entity<AuditRecord>(e =>
        {
            e.ToTable("AuditLog");
            e.HasIndex(a => a.At);
        });
        b.Entity<HostRecord>(e =>
        {
            e.ToTable("Hosts");
            e.HasIndex(h => h.Name).IsUnique();
            e.HasIndex(h => new { h.User, h.Address, h.Port }).IsUnique();
        });
        b.Entity<BatchRecord>(e => e.ToTable("Batches"));
        b.Entity<SettingRecord>(e =>
        {
            e.ToTable("Settings");
            e.HasKey(s => s.Key);
        });
    }

    public static DbContextOptions<ControlPanelDb> Options(string dataDirectory)
    {
        var cs = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "controlpanel.db"),
            // The CLI and the panel may share the file: wait for each other's write lock instead of failing.
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        return new DbContextOptionsBuilder<ControlPanelDb>()
            .UseSqlite(cs)
            // Hand-written migrations carry no model snapshot; the migration classes are the schema's truth.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            .Options;
    }

    /// <summary>Opens the database under the data directory, applying pending migrations (never EnsureCreated).</summary>
    public static ControlPanelDb Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return new(Options(dataDirectory));
    }

    public static void Migrate(string dataDirectory)
    {
        using var db = Open(dataDirectory);
        db.Database.Migrate();
        // WAL lets the panel read while a CLI run writes.
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        if (File.Exists(Path.Combine(dataDirectory, "controlpanel.db")))
            File.SetUnixFileMode(Path.Combine(dataDirectory, "controlpanel.db"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
