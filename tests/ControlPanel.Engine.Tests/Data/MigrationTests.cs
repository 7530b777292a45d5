using ControlPanel.Engine.Data;
using ControlPanel.Engine.Data.CompiledModel;
using ControlPanel.Engine.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Tests.Data;

/// <summary>The schema is the model: every change has its generated migration; new and upgraded databases are the same; what cannot be taken over is refused.</summary>
public class MigrationTests : IDisposable
{
    readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    [Fact]
    public void Every_change_to_the_model_has_its_generated_migration()
    {
        using var db = new ControlPanelDb(ControlPanelDb.Options(tmp.Path));
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration holds; generate one: " +
            "dotnet tool restore && dotnet ef migrations add NAME --context ControlPanelDb --project src/ControlPanel.Engine --output-dir Data/Migrations");
    }

    [Fact]
    public void The_compiled_model_the_processes_start_with_is_the_model_of_OnModelCreating()
    {
        using var db = ControlPanelDb.Open(tmp.Path);
        Assert.IsType<ControlPanelDbModel>(db.Model);
        var designed = Shape(db.GetService<IDesignTimeModel>().Model);
        var compiled = Shape(db.Model);
        Assert.True(designed.SequenceEqual(compiled), "the compiled model is out of date; regenerate it: dotnet tool restore && " +
            "dotnet ef dbcontext optimize --context ControlPanelDb --project src/ControlPanel.Engine --output-dir Data/CompiledModel --namespace ControlPanel.Engine.Data.CompiledModel --nativeaot\n" +
            "only in OnModelCreating: " + string.Join("; ", designed.Except(compiled)) + "\nonly in the compiled model: " + string.Join("; ", compiled.Except(designed)));
    }

    [Fact]
    public void The_compiled_model_holds_its_accessors_as_code()
    {
        // Generated with --nativeaot: without it EF compiles an expression tree for every property in every process.
        using var db = ControlPanelDb.Open(tmp.Path);
        var missing = db.Model.GetEntityTypes()
            .Where(e => typeof(ControlPanelDbModel).Assembly.GetType($"{typeof(ControlPanelDbModel).Namespace}.{e.ClrType.Name}UnsafeAccessors") is null)
            .Select(e => e.ClrType.Name).ToList();
        Assert.True(missing.Count == 0, "the compiled model was generated without --nativeaot (no accessors for " + string.Join(", ", missing) +
            "); regenerate it: dotnet tool restore && dotnet ef dbcontext optimize --context ControlPanelDb --project src/ControlPanel.Engine --output-dir Data/CompiledModel " +
            "--namespace ControlPanel.Engine.Data.CompiledModel --nativeaot");
    }

    /// <summary>What a query or a save depends on: tables, columns with their types and conversions, keys, indexes, relations.</summary>
    static List<string> Shape(IModel model) => model.GetEntityTypes().OrderBy(e => e.Name).SelectMany(e =>
        new[] { $"{e.Name} in {e.GetTableName()}" }
            .Concat(e.GetProperties().Select(p => $"{e.Name}.{p.Name}: {p.ClrType.Name} as {p.GetColumnName()} " +
                $"{p.GetColumnType()}{(p.IsNullable ? " null" : "")} default {p.GetDefaultValue()} " +
                $"via {p.GetTypeMapping().Converter?.ProviderClrType.Name} max {p.GetMaxLength()} generated {p.ValueGenerated}"))
            .Concat(e.GetKeys().Select(k => $"{e.Name} key {string.Join(",", k.Properties.Select(p => p.Name))} primary {k.IsPrimaryKey()}"))
            .Concat(e.GetIndexes().Select(i => $"{e.Name} index {string.Join(",", i.Properties.Select(p => p.Name))} unique {i.IsUnique}"))
            .Concat(e.GetForeignKeys().Select(f => $"{e.Name} references {f.PrincipalEntityType.Name} by " +
                $"{string.Join(",", f.Properties.Select(p => p.Name))} on delete {f.DeleteBehavior}"))
            .Concat(e.GetNavigations().Select(n => $"{e.Name} navigates {n.Name} to {n.TargetEntityType.Name}"))).ToList();

    [Fact]
    public void Only_a_database_with_exactly_this_releases_migrations_skips_the_migrator()
    {
        var data = tmp.Sub("fast");
        var file = Path.Combine(data, ControlPanelDb.FileName);
        Assert.False(ControlPanelDb.IsUpToDate(file));
        ControlPanelDb.Migrate(data);
        Assert.True(ControlPanelDb.IsUpToDate(file));
        using var db = ControlPanelDb.Open(data);
        var all = db.Database.GetMigrations().ToList();
        Assert.Equal(all.Order(StringComparer.Ordinal), db.Database.GetAppliedMigrations().Order(StringComparer.Ordinal));

        // One migration short (an older release's database): the migrator's path, which applies what is missing.
        db.Database.ExecuteSqlRaw("DELETE FROM __EFMigrationsHistory WHERE MigrationId = {0}", all[^1]);
        Assert.False(ControlPanelDb.IsUpToDate(file));
        // One more than this release knows (a newer release's database): not taken as up to date either.
        db.Database.ExecuteSqlRaw("INSERT INTO __EFMigrationsHistory VALUES ({0}, {1})", all[^1], "10.0.15");
        db.Database.ExecuteSqlRaw("INSERT INTO __EFMigrationsHistory VALUES ({0}, {1})", "29991231000000_FromTheFuture", "10.0.15");
        Assert.False(ControlPanelDb.IsUpToDate(file));
    }

    [Fact]
    public void The_baseline_makes_the_schema_of_the_hand_written_migrations_and_a_new_database_is_one_upgraded_from_them()
    {
        var upgraded = OldDatabase.CopyTo(tmp.Sub("upgraded"));
        var handWritten = OldDatabase.Schema(upgraded);
        var baseline = tmp.Sub("baseline");
        using (var db = ControlPanelDb.Open(baseline))
            db.GetService<IMigrator>().Migrate(HandWrittenMigrations.BaselineId);
        Assert.Equal(handWritten, OldDatabase.Schema(baseline));

        var fresh = tmp.Sub("fresh");
        ControlPanelDb.Migrate(fresh);
        ControlPanelDb.Migrate(upgraded);
        Assert.Equal(OldDatabase.Schema(fresh), OldDatabase.Schema(upgraded));

        using var model = ControlPanelDb.Open(fresh);
        var migrations = model.Database.GetMigrations().ToList();
        Assert.Equal(HandWrittenMigrations.BaselineId, migrations[0]);
        foreach (var data in new[] { fresh, upgraded })
        {
            Assert.Equal(migrations, OldDatabase.History(data));
            Assert.Equal("wal", OldDatabase.Scalar(data, "PRAGMA journal_mode"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "controlpanel.db")));
        }
    }

    [Fact]
    public async Task A_panel_and_a_cli_starting_together_take_an_old_database_over_once()
    {
        var data = OldDatabase.CopyTo(tmp.Sub("data"));
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => ControlPanelDb.Migrate(data))));
        using var db = ControlPanelDb.Open(data);
        Assert.Equal(db.Database.GetMigrations(), OldDatabase.History(data));
        ControlPanelDb.Migrate(data);
        Assert.Equal(db.Database.GetMigrations(), OldDatabase.History(data));
    }

    [Theory]
    [InlineData("ALTER TABLE Hosts ADD Password TEXT NULL", "+   column 10 Password TEXT null default=none pk=0 hidden=0")]
    [InlineData("DROP INDEX IX_Runs_State", "-   index IX_Runs_State unique=0 origin=c partial=0: State BINARY")]
    [InlineData("DELETE FROM __EFMigrationsHistory WHERE MigrationId = '20261122000006_MessageKeys'", "lacks the hand-written migrations 20261122000006_MessageKeys: it is from an older release")]
    [InlineData("INSERT INTO __EFMigrationsHistory VALUES ('20261130000000_Elsewhere', '10.0.15')", "and also 20261130000000_Elsewhere, which no release made")]
    public void A_database_of_the_hand_written_migrations_that_is_not_exactly_theirs_is_refused_untouched(string change, string reason)
    {
        var data = OldDatabase.CopyTo(tmp.Sub("data"));
        OldDatabase.Execute(data, change);
        var (schema, history, fields) = (OldDatabase.Schema(data), OldDatabase.History(data), OldDatabase.Fields(data));

        var refused = Assert.Throws<DatabaseRefusedException>(() => ControlPanelDb.Migrate(data));
        Assert.Contains(Path.Combine(data, "controlpanel.db"), refused.Message);
        Assert.Contains(reason, refused.Message);
        Assert.Contains("Nothing was changed.", refused.Message);
        Assert.Equal(schema, OldDatabase.Schema(data));
        Assert.Equal(history, OldDatabase.History(data));
        Assert.Equal(fields, OldDatabase.Fields(data));
    }
}
