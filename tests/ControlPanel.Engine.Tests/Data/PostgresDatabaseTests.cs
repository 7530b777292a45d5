using ControlPanel.Engine.Accounts;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Files;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.Engine.Validation;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ControlPanel.Engine.Tests.Data;

/// <summary>
/// A data directory whose state lives in PostgreSQL (issue 19): the URL as `--database` takes it, recorded in the data
/// directory; PostgreSQL's own migrations; the stores on a real server (a throw-away cluster of Debian's postgresql).
/// </summary>
public class PostgresDatabaseTests : IDisposable
{
    readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    [Fact]
    public void Every_change_to_the_model_has_its_generated_PostgreSQL_migration()
    {
        using var db = new PostgresControlPanelDbDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no PostgreSQL migration holds; generate one: " +
            "dotnet tool restore && dotnet ef migrations add NAME --context PostgresControlPanelDb --project src/ControlPanel.Engine --output-dir Data/PostgresMigrations");
    }

    [Fact]
    public void Every_SQLite_migration_since_the_PostgreSQL_baseline_has_its_PostgreSQL_twin_by_name()
    {
        // A change of the shared model needs its migration for each provider (the SQLite history before PostgreSQL came is
        // the baseline's); PostgreSQL may have more of its own (the key ring).
        static string[] Names(Type context) => typeof(ControlPanelDb).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration))
                && t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute), false)
                    .Cast<Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute>().Single().ContextType == context)
            .Select(t => ((Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute)t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false).Single()).Id)
            .Order(StringComparer.Ordinal).ToArray();
        var postgres = Names(typeof(PostgresControlPanelDb));
        var sqlite = Names(typeof(ControlPanelDb));
        Assert.NotEmpty(postgres);
        var since = postgres[0];
        var twins = sqlite.Where(id => string.CompareOrdinal(id, since) > 0).Select(Name).ToList();
        Assert.NotEmpty(twins);
        Assert.Empty(twins.Except(postgres.Skip(1).Select(Name)));
        static string Name(string id) => id[(id.IndexOf('_') + 1)..];
    }

    [Theory]
    [InlineData("postgres://cp:s3cret@db.example:6543/panel?sslmode=require", "db.example", 6543, "panel", "cp", "s3cret")]
    [InlineData("postgresql://cp@10.0.0.4/panel", "10.0.0.4", 5432, "panel", "cp", null)]
    [InlineData("postgres://cp@localhost/panel?host=/var/run/postgresql", "/var/run/postgresql", 5432, "panel", "cp", null)]
    [InlineData("postgres://c%40p:p%2Fw@h/my%20db", "h", 5432, "my db", "c@p", "p/w")]
    public void A_url_becomes_a_connection(string url, string host, int port, string database, string user, string? password)
    {
        var location = DatabaseLocation.Parse(url, tmp.Path);
        Assert.True(location.IsPostgres);
        var built = new NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal((host, port, database, user, password), (built.Host, built.Port, built.Database, built.Username, built.Password));
        if (password is not null) Assert.DoesNotContain(password, location.Display);
    }

    [Theory]
    [InlineData("mysql://cp@h/db")]
    [InlineData("postgres://cp@h")]
    [InlineData("postgres://cp:hunter2@h/a/b")]
    [InlineData("postgres://cp:hunter2@h/db?sslmode=sometimes")]
    [InlineData("postgres:///db")]
    [InlineData("/var/lib/controlpanel/controlpanel.db")]
    public void A_wrong_url_is_refused_naming_the_field_and_never_the_password(string url)
    {
        var e = Assert.Throws<InputException>(() => DatabaseLocation.Parse(url, tmp.Path));
        Assert.Equal("database", e.Field);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Fact]
    public void An_unknown_parameter_is_named()
    {
        var e = Assert.Throws<InputException>(() => DatabaseLocation.Parse("postgres://cp@h/db?sslmod=require", tmp.Path));
        Assert.Contains("sslmod", e.Message);
    }

    [Fact]
    public void The_choice_is_the_data_directory_s_private_file_and_sqlite_takes_it_back()
    {
        var data = tmp.Sub("data");
        Assert.False(DatabaseLocation.Of(data).IsPostgres);
        Assert.True(DatabaseLocation.Use(data, "postgres://cp:pw@127.0.0.1:5999/panel"));
        var file = Path.Combine(data, DatabaseLocation.ConfigFile);
        Assert.Equal(AtomicFile.Private, File.GetUnixFileMode(file));
        Assert.False(DatabaseLocation.Use(data, "postgres://cp:pw@127.0.0.1:5999/panel"));
        Assert.Equal("postgres://cp:***@127.0.0.1:5999/panel", DatabaseLocation.Of(data).Display);
        Assert.True(DatabaseLocation.Use(data, "sqlite"));
        Assert.False(File.Exists(file));
        Assert.False(DatabaseLocation.Of(data).IsPostgres);
        Assert.False(DatabaseLocation.Use(data, "sqlite"));
    }

    [Fact]
    public async Task Migrating_a_new_database_makes_the_schema_and_again_changes_nothing_even_from_two_nodes_at_once()
    {
        var url = await PostgresPeer.NewDatabaseAsync();
        var (a, b) = (tmp.Sub("node-a"), tmp.Sub("node-b"));
        DatabaseLocation.Use(a, url);
        DatabaseLocation.Use(b, url);
        // Two nodes starting together: EF's migration lock lets one apply, the other finds it applied.
        await Task.WhenAll(Task.Run(() => ControlPanelDb.Migrate(a)), Task.Run(() => ControlPanelDb.Migrate(b)));
        await using (var db = ControlPanelDb.Open(a))
        {
            Assert.IsType<PostgresControlPanelDb>(db);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
        ControlPanelDb.Migrate(a);
        // Nothing of SQLite's is made in a data directory whose database is elsewhere.
        Assert.False(File.Exists(Path.Combine(a, ControlPanelDb.FileName)));
    }

    [Fact]
    public async Task Accounts_and_sessions_work_the_same_on_PostgreSQL()
    {
        var data = tmp.Sub("data");
        DatabaseLocation.Use(data, await PostgresPeer.NewDatabaseAsync());
        ControlPanelDb.Migrate(data);
        var accounts = new AccountStore(data);
        Assert.False(await accounts.AnyAsync());
        var created = DateTime.UtcNow;
        Assert.True(await accounts.AddFirstAsync(new UserRecord { UserName = "admin", PasswordHash = "h", SecurityStamp = "s1", CreatedAt = created }));
        Assert.False(await accounts.AddFirstAsync(new UserRecord { UserName = "second", PasswordHash = "h", SecurityStamp = "s", CreatedAt = created }));
        Assert.True(await accounts.AnyAsync());
        var admin = await accounts.FindAsync("admin");
        Assert.NotNull(admin);
        Assert.Equal(DateTimeKind.Utc, admin.CreatedAt.Kind);
        Assert.Equal(created, admin.CreatedAt, TimeSpan.FromMilliseconds(1));
        // A time the engine did not mark as UTC is stored as UTC, not refused by timestamptz.
        await using var db = ControlPanelDb.Open(data);
        await db.Users.Where(u => u.Id == admin.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastLoginAt, new DateTime(2026, 12, 7, 10, 0, 0)));
        Assert.Equal(new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc), (await accounts.FindAsync("admin"))!.LastLoginAt);
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_fails_with_its_address_not_its_password()
    {
        var data = tmp.Sub("data");
        var port = LoopbackPorts.Tcp();
        DatabaseLocation.Use(data, $"postgres://cp:hunter2@127.0.0.1:{port}/panel?timeout=2");
        var e = Assert.ThrowsAny<NpgsqlException>(() => ControlPanelDb.Migrate(data));
        Assert.DoesNotContain("hunter2", e.ToString());
    }
}
