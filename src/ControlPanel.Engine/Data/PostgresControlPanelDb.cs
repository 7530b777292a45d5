using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ControlPanel.Engine.Data;

/// <summary>
/// The panel's model on PostgreSQL, for a panel of several nodes (issue 19). A context of its own so that EF keeps its
/// migrations apart from SQLite's: they are generated from the repository root with
/// <c>dotnet ef migrations add NAME --context PostgresControlPanelDb --project src/ControlPanel.Engine --output-dir Data/PostgresMigrations</c>
/// beside every SQLite migration (a test fails while either set lacks a change of the model). No compiled model: a
/// node is a long-running server, where building the model once costs nothing that matters.
/// </summary>
public sealed class PostgresControlPanelDb(DbContextOptions<PostgresControlPanelDb> options) : ControlPanelDb(options)
{
    public static PostgresControlPanelDb Open(DatabaseLocation location) => new(Options(location.ConnectionString));

    static DbContextOptions<PostgresControlPanelDb> Options(string connectionString) =>
        new DbContextOptionsBuilder<PostgresControlPanelDb>().UseNpgsql(connectionString).Options;

    /// <summary>
    /// Brings the database to the model. EF takes PostgreSQL's migration lock for it, so nodes starting together
    /// apply each migration once.
    /// </summary>
    public static void Migrate(DatabaseLocation location)
    {
        using var db = Open(location);
        db.Database.Migrate();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        // The engine's times are UTC (DateTime.UtcNow); SQLite stores them as written. PostgreSQL's timestamptz takes only
        // times marked UTC, and some reach the store unmarked (read back from SQLite-era JSON, parsed): mark them on the way.
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
