using System.Data;
using System.Data.Common;
using System.Reflection;
using ControlPanel.Engine.Files;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace ControlPanel.Engine.Data;

/// <summary>
/// The panel's SQLite database; the model below is its schema. A change to the model needs a migration, generated from
/// the repository root with
/// <c>dotnet tool restore &amp;&amp; dotnet ef migrations add NAME --context ControlPanelDb --project src/ControlPanel.Engine --output-dir Data/Migrations</c>
/// (the pinned dotnet-ef of dotnet-tools.json; <see cref="ControlPanelDbDesignTimeFactory"/> makes the context for it);
/// <see cref="Migrate"/> applies it at the next start. Until it is generated, Migrate refuses to run and a test fails.
/// The processes start with the compiled model of Data/CompiledModel instead of building this one (a CLI verb's start
/// 0.91 -> 0.66 s). --nativeaot makes it hold the property accessors, comparers and snapshots as C# that EF would otherwise
/// build and JIT-compile as expression trees in every process (`cert issue` 829 -> 330 compiled expressions); only the
/// queries' precompilation, which EF refuses for most of ours, is left out. After a change to the model regenerate it with
/// <c>dotnet ef dbcontext optimize --context ControlPanelDb --project src/ControlPanel.Engine --output-dir Data/CompiledModel --namespace ControlPanel.Engine.Data.CompiledModel --nativeaot</c>
/// (a test fails until then).
/// </summary>
public class ControlPanelDb : DbContext
{
    public ControlPanelDb(DbContextOptions<ControlPanelDb> options) : base(options) { }

    /// <summary>For <see cref="PostgresControlPanelDb"/>: the same model under a context of its own, whose migrations are PostgreSQL's.</summary>
    protected ControlPanelDb(DbContextOptions options) : base(options) { }

    /// <summary>The stack\'s plans (<c>StackPlans</c>): what runs and batches recorded before the plans were started with.</summary>
    public const string StackCatalog = "stack";

    public DbSet<RunRecord> Runs => Set<RunRecord>();
    public DbSet<StageRunRecord> StageRuns => Set<StageRunRecord>();
    public DbSet<RunEventRecord> RunEvents => Set<RunEventRecord>();
    public DbSet<CertificateRecord> Certificates => Set<CertificateRecord>();
    public DbSet<UserRecord> Users => Set<UserRecord>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    public DbSet<SignInFailureRecord> SignInFailures => Set<SignInFailureRecord>();
    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();
    public DbSet<SettingRecord> Settings => Set<SettingRecord>();
    public DbSet<HostRecord> Hosts => Set<HostRecord>();
    public DbSet<BatchRecord> Batches => Set<BatchRecord>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<RunRecord>(e =>
        {
            e.ToTable("Runs");
            ColumnOrder(e, nameof(RunRecord.Id), nameof(RunRecord.Kind), nameof(RunRecord.HostSpec), nameof(RunRecord.HostKey),
                nameof(RunRecord.State), nameof(RunRecord.InputsJson), nameof(RunRecord.RequestedBy), nameof(RunRecord.CreatedAt),
                nameof(RunRecord.StartedAt), nameof(RunRecord.EndedAt), nameof(RunRecord.Error), nameof(RunRecord.Attempts),
                nameof(RunRecord.CancelRequested), nameof(RunRecord.BatchId), nameof(RunRecord.HostName), nameof(RunRecord.Catalog),
                nameof(RunRecord.ErrorJson));
            // Runs from before the catalog was recorded were all started with the stack's plans.
            e.Property(r => r.Catalog).HasDefaultValue(StackCatalog);
            e.Property(r => r.State).HasConversion<string>();
            e.HasMany(r => r.Stages).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => r.State);
            e.HasIndex(r => r.BatchId);
        });
        b.Entity<StageRunRecord>(e =>
        {
            e.ToTable("StageRuns");
            ColumnOrder(e, nameof(StageRunRecord.Id), nameof(StageRunRecord.RunId), nameof(StageRunRecord.Index), nameof(StageRunRecord.Name),
                nameof(StageRunRecord.Title), nameof(StageRunRecord.State), nameof(StageRunRecord.Attempts), nameof(StageRunRecord.StartedAt),
                nameof(StageRunRecord.EndedAt), nameof(StageRunRecord.Error), nameof(StageRunRecord.CheckReason), nameof(StageRunRecord.LogFile),
                nameof(StageRunRecord.LogLines), nameof(StageRunRecord.ErrorJson), nameof(StageRunRecord.CheckReasonJson));
            e.Property(s => s.State).HasConversion<string>();
            e.HasIndex(s => new { s.RunId, s.Index }).IsUnique();
        });
        b.Entity<RunEventRecord>(e =>
        {
            e.ToTable("RunEvents");
            ColumnOrder(e, nameof(RunEventRecord.Id), nameof(RunEventRecord.RunId), nameof(RunEventRecord.StageIndex), nameof(RunEventRecord.State),
                nameof(RunEventRecord.At), nameof(RunEventRecord.Message), nameof(RunEventRecord.MessageJson));
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
        b.Entity<SessionRecord>(e =>
        {
            e.ToTable("Sessions");
            e.HasKey(x => x.Id);
            e.HasOne<UserRecord>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.UserId);
        });
        b.Entity<SignInFailureRecord>(e =>
        {
            e.ToTable("SignInFailures");
            e.HasKey(x => x.Key);
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
        b.Entity<BatchRecord>(e =>
        {
            e.ToTable("Batches");
            ColumnOrder(e, nameof(BatchRecord.Id), nameof(BatchRecord.Kind), nameof(BatchRecord.Parallel), nameof(BatchRecord.TargetsJson),
                nameof(BatchRecord.RequestedBy), nameof(BatchRecord.CreatedAt), nameof(BatchRecord.Catalog), nameof(BatchRecord.InputsJson),
                nameof(BatchRecord.CancelRequested));
            // Batches from before the catalog and the cancel flag were recorded: the stack's plans, never cancelled.
            e.Property(r => r.Catalog).HasDefaultValue(StackCatalog);
            e.Property(r => r.CancelRequested).HasDefaultValue(false);
            // Batches from before hosts waited in the database: none waits.
            e.Property(r => r.PendingJson).HasDefaultValue("[]");
        });
        b.Entity<SettingRecord>(e =>
        {
            e.ToTable("Settings");
            e.HasKey(s => s.Key);
        });
    }

    /// <summary>
    /// Lays out a table whose later columns were added by ALTER TABLE (which SQLite appends) in that same order, so a new
    /// database is column for column one upgraded from the hand-written migrations (<see cref="HandWrittenMigrations"/>).
    /// Columns added from now on need none: migrations append them to both.
    /// </summary>
    static void ColumnOrder<T>(EntityTypeBuilder<T> e, params string[] columns) where T : class
    {
        for (var i = 0; i < columns.Length; i++) e.Property(columns[i]).HasColumnOrder(i);
    }

    public const string FileName = "controlpanel.db";

    public static string SqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, FileName),
        // The CLI and the panel may share the file: wait for each other's write lock instead of failing.
        DefaultTimeout = 30,
        Pooling = true,
    }.ToString();

    /// <summary>The SQLite context's options; its model is the compiled one in Data/CompiledModel (found by its assembly attribute).</summary>
    public static DbContextOptions<ControlPanelDb> Options(string dataDirectory) =>
        InterpretedLiftableConstants.Use(new DbContextOptionsBuilder<ControlPanelDb>().UseSqlite(SqliteConnectionString(dataDirectory))).Options;

    /// <summary>
    /// Opens the data directory's database (<see cref="DatabaseLocation.Of"/>: its SQLite file, or the PostgreSQL
    /// database it names); the schema is <see cref="Migrate"/>'s business (never EnsureCreated).
    /// </summary>
    public static ControlPanelDb Open(string dataDirectory)
    {
        var location = DatabaseLocation.Of(dataDirectory);
        if (location.IsPostgres) return PostgresControlPanelDb.Open(location);
        PrivateDatabase.EnsureDirectory(dataDirectory);
        return new(Options(dataDirectory));
    }

    /// <summary>An open connection to the data directory's database, for the few reads written as plain SQL (<c>RunRows</c>).</summary>
    public static async Task<DbConnection> OpenConnectionAsync(string dataDirectory, CancellationToken ct = default)
    {
        var location = DatabaseLocation.Of(dataDirectory);
        var connection = location.IsPostgres ? PostgresConnection(location) : new SqliteConnection(location.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    // A method of its own: compiling the SQLite path (every CLI verb) then never loads Npgsql.
    static DbConnection PostgresConnection(DatabaseLocation location) => new NpgsqlConnection(location.ConnectionString);

    /// <summary>
    /// A read transaction that sees one snapshot of the database and takes no write lock: SQLite's deferred
    /// transaction, PostgreSQL's repeatable read.
    /// </summary>
    public static DbTransaction BeginSnapshot(DbConnection connection) => connection is SqliteConnection sqlite
        ? sqlite.BeginTransaction(deferred: true)
        : connection.BeginTransaction(IsolationLevel.RepeatableRead);

    /// <summary>
    /// Creates the database or brings it to the model: the one way its schema changes, called by the panel, the CLI and
    /// the tests before they use it. A database of the hand-written migrations is taken over first.
    /// </summary>
    public static void Migrate(string dataDirectory)
    {
        var location = DatabaseLocation.Of(dataDirectory);
        if (location.IsPostgres)
        {
            PostgresControlPanelDb.Migrate(location);
            return;
        }
        // Before SQLite first opens it (every process migrates before it uses the database).
        var file = PrivateDatabase.Prepare(Path.Combine(PrivateDatabase.EnsureDirectory(dataDirectory), FileName));
        if (IsUpToDate(file)) return;
        using var db = Open(dataDirectory);
        HandWrittenMigrations.TakeOver(db);
        db.Database.Migrate();
        // WAL lets the panel read while a CLI run writes (the mode is kept in the file).
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    /// <summary>This release's migrations of a context (SQLite's or PostgreSQL's), by id, read from their attributes (no model is built).</summary>
    internal static string[] KnownMigrations(Type context) => typeof(ControlPanelDb).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == context)
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()!.Id).Order(StringComparer.Ordinal).ToArray();

    static readonly Lazy<string[]> Known = new(() => KnownMigrations(typeof(ControlPanelDb)));

    /// <summary>
    /// Whether the database has exactly this release's migrations and nothing else, as at every start but the first
    /// after an install or an upgrade: one query on the history table, where EF's migrator would build the model and the
    /// migrations' snapshot to compare them, the larger part of a CLI verb's start (issue 17). Anything else (a new or
    /// older database, one of the hand-written migrations, one from a newer release) takes the migrator's path.
    /// </summary>
    public static bool IsUpToDate(string file)
    {
        if (!File.Exists(file) || new FileInfo(file).Length == 0) return false;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        if (command.ExecuteScalar() is null) return false;
        command.CommandText = "SELECT MigrationId FROM __EFMigrationsHistory";
        var applied = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) applied.Add(reader.GetString(0));
        return applied.Order(StringComparer.Ordinal).SequenceEqual(Known.Value);
    }
}
