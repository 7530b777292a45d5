using ControlPanel.Engine.Data;
using ControlPanel.Engine.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Engine.Tests.Inventory;

/// <summary>M0004 on a database of the previous release: existing runs stay, with no batch; the inventory starts empty.</summary>
public class FleetMigrationTests : IDisposable
{
    readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    [Fact]
    public async Task A_database_at_M0003_with_runs_upgrades_and_keeps_them()
    {
        var data = tmp.Sub("data");
        await using (var old = ControlPanelDb.Open(data))
        {
            await old.GetService<IMigrator>().MigrateAsync("20261121000003_Accounts");
            await old.Database.ExecuteSqlRawAsync("""
                INSERT INTO Runs (Kind, HostSpec, HostKey, State, InputsJson, CreatedAt, Attempts, CancelRequested)
                VALUES ('install', 'local', 'local', 'Succeeded', '{{}}', '2026-11-01 10:00:00', 1, 0)
                """);
        }

        ControlPanelDb.Migrate(data);

        await using var db = ControlPanelDb.Open(data);
        var run = await db.Runs.SingleAsync();
        Assert.Equal(("install", null, null), (run.Kind, run.BatchId, run.HostName));
        Assert.Empty(await db.Hosts.ToListAsync());
        Assert.Empty(await db.Batches.ToListAsync());
        Assert.Contains("20261122000004_Fleet", await db.Database.GetAppliedMigrationsAsync());
    }
}
