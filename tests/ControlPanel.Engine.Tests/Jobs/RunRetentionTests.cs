using ControlPanel.Engine.Data;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Acme;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Jobs;

/// <summary>Old runs go with their logs and secrets once past the retention; open runs and recent ones stay.</summary>
public sealed class RunRetentionTests
{
    [Fact]
    public async Task Runs_that_ended_before_the_retention_are_deleted_with_their_logs_and_secrets()
    {
        using var tmp = new TempDir();
        var data = tmp.Sub("data");
        var work = tmp.Sub("work");
        Directory.CreateDirectory(work);
        ControlPanelDb.Migrate(data);
        await using var engines = new TestEngines();
        var engine = engines.Create(new EngineOptions(data), MarkerPlan.Catalog());
        var old = await engine.StartAsync(MarkerPlan.Request(work, "a", secret: "s3cret"), "local");
        Assert.Equal(RunState.Succeeded, await old.Completion);
        var recent = await engine.StartAsync(MarkerPlan.Request(work, "a"), "local");
        Assert.Equal(RunState.Succeeded, await recent.Completion);
        Assert.True(Directory.Exists(Path.Combine(data, "runs", old.RunId.ToString())));

        var clock = new ManualClock(DateTimeOffset.UtcNow.AddDays(RunRetention.DefaultDays - 1));
        Assert.Empty(await new RunRetention(engine, clock).ApplyAsync());
        // The old run ended long ago; the recent one a day within the retention.
        await using (var db = ControlPanelDb.Open(data))
            await db.Runs.Where(r => r.Id == old.RunId).ExecuteUpdateAsync(u => u.SetProperty(r => r.EndedAt, DateTime.UtcNow.AddDays(-10)));
        Assert.Equal([old.RunId], await new RunRetention(engine, clock).ApplyAsync());
        Assert.False(Directory.Exists(Path.Combine(data, "runs", old.RunId.ToString())));
        Assert.Empty(new RunSecrets(data).Load(old.RunId));

        // A shorter retention from the Settings table reaches the recent run too.
        await using (var db = ControlPanelDb.Open(data))
        {
            db.Settings.Add(new SettingRecord { Key = RunRetention.SettingKey, Value = "1" });
            await db.SaveChangesAsync();
        }
        Assert.Equal(1, await RunRetention.DaysAsync(data));
        Assert.Equal([recent.RunId], await new RunRetention(engine, new ManualClock(DateTimeOffset.UtcNow.AddDays(2))).ApplyAsync());
        await using (var db = ControlPanelDb.Open(data)) Assert.Equal(0, await db.Runs.CountAsync());
    }
}
