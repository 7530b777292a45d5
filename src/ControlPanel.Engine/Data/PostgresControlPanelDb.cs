using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace ControlPanel.Engine.Data;

/// <summary>
/// The panel's model on PostgreSQL, for a panel of several nodes (issue 19). A context of its own so that EF keeps its
/// migrations apart from SQLite's: they are generated from the repository root with
/// <c>dotnet ef migrations add NAME --context PostgresControlPanelDb --project src/ControlPanel.Engine --output-dir Data/PostgresMigrations</c>
/// beside every SQLite migration, under the same name (a test fails while either set lacks a change of the model); the
/// key ring is PostgreSQL's alone (<see cref="KeyRingRecord"/>). No compiled model: a
/// node is a long-running server, where building the model once costs nothing that matters.
/// </summary>
public sealed class PostgresControlPanelDb(DbContextOptions<PostgresControlPanelDb> options) : ControlPanelDb(options)
{
    /// <summary>The nodes' shared key ring (<see cref="KeyRingStore"/>); a lone panel on SQLite keeps its keys in files.</summary>
    public DbSet<KeyRingRecord> KeyRing => Set<KeyRingRecord>();

    public static PostgresControlPanelDb Open(DatabaseLocation location) => new(OptionsFor(location.ConnectionString));

    static DbContextOptions<PostgresControlPanelDb> OptionsFor(string connectionString) =>
        InterpretedLiftableConstants.Use(new DbContextOptionsBuilder<PostgresControlPanelDb>().UseNpgsql(connectionString)).Options;

    /// <summary>
    /// Brings the database to the model, under an advisory lock of its own: nodes starting together apply each
    /// migration once (EF's own migration lock let two nodes apply the same one in a test).
    /// </summary>
    public static void Migrate(DatabaseLocation location)
    {
        if (IsUpToDate(location)) return;
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location.ConnectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            take.Parameters.AddWithValue("key", MigrationLock);
            take.ExecuteNonQuery();
        }
        // The lock is the session's: closing the connection at the end lets the next node in, which finds the work done.
        if (IsUpToDate(location)) return;
        using var db = Open(location);
        db.Database.Migrate();
    }

    /// <summary>The advisory lock key of schema changes ("CPMIGRAT"): one node at a time.</summary>
    const long MigrationLock = 0x4350_4D49_4752_4154;

    static readonly Lazy<string[]> Known = new(() => KnownMigrations(typeof(PostgresControlPanelDb)));

    /// <summary>
    /// Whether the database has exactly this release's migrations, as at every start but the first after an upgrade:
    /// one query, where EF's migrator would build the model and take the migration lock in every CLI verb (about 1 s).
    /// </summary>
    static bool IsUpToDate(DatabaseLocation location)
    {
        using var connection = new NpgsqlConnection(location.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT to_regclass('public.\"__EFMigrationsHistory\"') IS NOT NULL", connection);
        if (command.ExecuteScalar() is not true) return false;
        command.CommandText = """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" COLLATE "C" """;
        var applied = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) applied.Add(reader.GetString(0));
        return applied.SequenceEqual(Known.Value);
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);
        b.Entity<KeyRingRecord>(e => e.ToTable("KeyRing"));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        // The engine's times are UTC (DateTime.UtcNow); SQLite stores them as written. PostgreSQL's timestamptz takes only
        // times marked UTC, and some reach the store unmarked (parsed from text, built from parts): mark them on the way.
        b.Properties<DateTime>().HaveConversion<UtcConverter>();
        b.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>How `dotnet ef` makes the PostgreSQL context: `migrations add` needs the model only and connects nowhere.</summary>
public sealed class PostgresControlPanelDbDesignTimeFactory : IDesignTimeDbContextFactory<PostgresControlPanelDb>
{
    public PostgresControlPanelDb CreateDbContext(string[] args) =>
        PostgresControlPanelDb.Open(DatabaseLocation.Parse(args is [var url, ..] ? url : "postgres://controlpanel@localhost/controlpanel", "data"));
}
