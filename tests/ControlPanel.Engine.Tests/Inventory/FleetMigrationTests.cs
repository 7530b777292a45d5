using ControlPanel.Engine.Data;
using ControlPanel.Engine.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Tests.Inventory;

/// <summary>M0004 and M0005 on a database of a previous release: existing runs and batches stay; the inventory starts empty.</summary>
public class FleetMigrationTests : IDisposable
{
    readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    /// <summary>A data directory whose database stops at <paramref name="migration"/>, holding the rows of <paramref name="sql"/>, then migrated to now.</summary>
    async Task<string> UpgradedFrom(string migration, string sql)
    {
        var data = tmp.Sub("data");
        await using (var old = ControlPanelDb.Open(data))
        {
            await old.GetService<IMigrator>().MigrateAsync(migration);
            await old.Database.ExecuteSqlRawAsync(sql);
        }
        ControlPanelDb.Migrate(data);
        return data;
    }

    [Fact]
    public async Task A_database_at_M0003_with_runs_upgrades_and_keeps_them()
    {
        var data = await UpgradedFrom("20261121000003_Accounts", """
            INSERT INTO Runs (Kind, HostSpec, HostKey, State, InputsJson, CreatedAt, Attempts, CancelRequested)
            VALUES ('install', 'local', 'local', 'Succeeded', '{{}}', '2026-11-01 10:00:00', 1, 0)
            """);

        await using var db = ControlPanelDb.Open(data);
        var run = await db.Runs.SingleAsync();
        Assert.Equal(("install", null, null), (run.Kind, run.BatchId, run.HostName));
        Assert.Empty(await db.Hosts.ToListAsync());
        Assert.Empty(await db.Batches.ToListAsync());
        Assert.Contains("20261122000004_Fleet", await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task A_database_at_M0004_keeps_its_runs_and_batches_as_started_with_the_stack_plans()
    {
        var data = await UpgradedFrom("20261122000004_Fleet", """
            INSERT INTO Batches (Kind, Parallel, TargetsJson, CreatedAt) VALUES ('install', 2, '[]', '2026-11-01 10:00:00');
            INSERT INTO Runs (Kind, HostSpec, HostKey, State, InputsJson, CreatedAt, Attempts, CancelRequested, BatchId)
            VALUES ('install', 'local', 'local', 'Failed', '{{}}', '2026-11-01 10:00:00', 1, 0, 1)
            """);

        await using var db = ControlPanelDb.Open(data);
        var run = await db.Runs.SingleAsync();
        var batch = await db.Batches.SingleAsync();
        Assert.Equal(("stack", 1L), (run.Catalog, run.BatchId));
        Assert.Equal(("stack", null, false), (batch.Catalog, batch.InputsJson, batch.CancelRequested));
        Assert.Contains("20261122000005_RunCatalog", await db.Database.GetAppliedMigrationsAsync());
    }
}
