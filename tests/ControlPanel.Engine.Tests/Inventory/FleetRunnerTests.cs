using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.Engine.Validation;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Inventory;

/// <summary>A plan on several hosts at once: concurrency limit, independent failures, re-running only the failed hosts.</summary>
public class FleetRunnerTests : IDisposable
{
    readonly TempDir tmp = new();
    readonly string data;
    readonly string work;

    public FleetRunnerTests()
    {
        data = tmp.Sub("data");
        work = tmp.Sub("work");
        Directory.CreateDirectory(work);
        ControlPanelDb.Migrate(data);
    }

    readonly TestEngines engines = new();

    public void Dispose()
    {
        engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
        tmp.Dispose();
    }

    RunEngine NewEngine() => engines.Create(new EngineOptions(data) { CancelPollInterval = TimeSpan.FromMilliseconds(50) },
        HostMarkerPlan.Catalog(), hosts: new NamedLocalHosts());

    static IReadOnlyList<FleetTarget> Hosts(params string[] names) => names.Select(n => new FleetTarget(n, "test:" + n)).ToList();

    void FailOn(string host, string stage)
    {
        var dir = HostMarkerPlan.HostDir(work, "test:" + host);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "fail-" + stage), "");
    }

    async Task<List<RunRecord>> RunsOf(long batchId)
    {
        await using var db = ControlPanelDb.Open(data);
        return await db.Runs.AsNoTracking().Include(r => r.Stages).Where(r => r.BatchId == batchId).OrderBy(r => r.Id).ToListAsync();
    }

    [Fact]
    public async Task At_most_parallel_hosts_run_at_once_and_each_host_gets_its_own_run_in_the_batch()
    {
        var fleet = NewEngine().Fleet;
        var started = new List<string>();
        var handle = await fleet.StartAsync(HostMarkerPlan.Request(work, "a,b", holdMs: 300, together: 2), Hosts("h1", "h2", "h3", "h4", "h5"), parallel: 2,
            started: (t, _) => { lock (started) started.Add(t.Name); });
        var results = await handle.Completion;

        Assert.All(results, r => Assert.Equal(RunState.Succeeded, r.State));
        Assert.Equal(5, started.Count);
        Assert.Equal(2, HostMarkerPlan.MaxOverlap(work));
        Assert.Equal(10, HostMarkerPlan.Intervals(work).Count);
        var runs = await RunsOf(handle.BatchId);
        Assert.Equal(["h1", "h2", "h3", "h4", "h5"], runs.Select(r => r.HostName).Order());
        Assert.Equal(5, runs.Select(r => r.HostKey).Distinct().Count());
        var status = await BatchStatus.LoadAsync(data, handle.BatchId);
        Assert.Equal(["h1", "h2", "h3", "h4", "h5"], status!.Hosts.Select(h => h.Target.Name));
        Assert.All(status.Hosts, h => Assert.Equal((2, 2), (h.StagesDone, h.StageCount)));
    }

    [Fact]
    public async Task One_failing_host_does_not_stop_the_others_and_rerun_failed_resumes_only_it()
    {
        FailOn("h2", "b");
        var engine = NewEngine();
        var fleet = engine.Fleet;
        var handle = await fleet.StartAsync(HostMarkerPlan.Request(work, "a,b,c"), Hosts("h1", "h2", "h3"), parallel: 3);
        var results = await handle.Completion;

        Assert.Equal([RunState.Succeeded, RunState.Failed, RunState.Succeeded], results.Select(r => r.State));
        Assert.Contains("failing on purpose", results[1].Error);
        var status = await BatchStatus.LoadAsync(data, handle.BatchId);
        Assert.Equal(1, status!.FailedCount);
        Assert.Equal([RunState.Succeeded, RunState.Failed, RunState.Queued], status.Hosts[1].Run!.Stages.OrderBy(s => s.Index).Select(s => s.State));

        File.Delete(Path.Combine(HostMarkerPlan.HostDir(work, "test:h2"), "fail-b"));
        var rerun = await fleet.RerunFailedAsync(handle.BatchId, parallel: 2);
        var again = await rerun.Completion;

        Assert.Equal(handle.BatchId, rerun.BatchId);
        Assert.Equal(["h2"], again.Select(r => r.Target.Name));
        Assert.Equal(RunState.Succeeded, again[0].State);
        var runs = await RunsOf(handle.BatchId);
        Assert.Equal(3, runs.Count);
        Assert.Equal([1, 2, 1], runs.Select(r => r.Attempts));
        Assert.Equal(0, (await BatchStatus.LoadAsync(data, handle.BatchId))!.FailedCount);
        // The resumed host skipped nothing it had done: stage a ran once on it, b twice, c once.
        Assert.Equal(1, runs[1].Stages.Single(s => s.Name == "a").Attempts);
        Assert.Equal(2, runs[1].Stages.Single(s => s.Name == "b").Attempts);

        var nothing = await Assert.ThrowsAsync<InputException>(() => fleet.RerunFailedAsync(handle.BatchId, 2));
        Assert.Contains("has no failed hosts to re-run", nothing.Message);
    }

    [Fact]
    public async Task A_host_that_cannot_start_is_reported_and_the_others_still_run()
    {
        using var held = HostLock.TryAcquire(data, "test:h1", "someone else");
        var fleet = NewEngine().Fleet;
        var results = await (await fleet.StartAsync(HostMarkerPlan.Request(work, "a"), Hosts("h1", "h2"), parallel: 1)).Completion;

        Assert.Null(results[0].RunId);
        Assert.Contains("another run holds test:h1", results[0].Error);
        Assert.Equal(RunState.Succeeded, results[1].State);
    }

    [Fact]
    public async Task Rerun_failed_starts_the_hosts_that_never_started_resumes_the_failed_and_leaves_the_succeeded()
    {
        FailOn("h2", "b");
        var request = HostMarkerPlan.Request(work, "a,b") with { Token = "s3cret" };
        var fleet = NewEngine().Fleet;
        FleetHandle handle;
        using (HostLock.TryAcquire(data, "test:h1", "someone else"))
        {
            handle = await fleet.StartAsync(request, Hosts("h1", "h2", "h3"), parallel: 3);
            var results = await handle.Completion;
            Assert.Equal([null, RunState.Failed, RunState.Succeeded], results.Select(r => r.State));
            Assert.Null(results[0].RunId);
        }
        var status = (await BatchStatus.LoadAsync(data, handle.BatchId))!;
        Assert.False(status.IsExecuting);
        Assert.Equal(["NotStarted", "Failed", "Succeeded"], status.Hosts.Select(h => h.State));
        Assert.Equal(2, status.FailedCount);

        File.Delete(Path.Combine(HostMarkerPlan.HostDir(work, "test:h2"), "fail-b"));
        var again = await (await fleet.RerunFailedAsync(handle.BatchId, parallel: 2)).Completion;

        Assert.Equal(["h1", "h2"], again.Select(r => r.Target.Name));
        Assert.All(again, r => Assert.Equal(RunState.Succeeded, r.State));
        var runs = await RunsOf(handle.BatchId);
        Assert.Equal(["h2", "h3", "h1"], runs.Select(r => r.HostName));
        Assert.Equal([2, 1, 1], runs.Select(r => r.Attempts));
        // The host started late got the batch's request, its secret included.
        Assert.Equal("a,b", System.Text.Json.JsonDocument.Parse(runs[2].InputsJson).RootElement.GetProperty("stages").GetString());
        Assert.Equal("s3cret", new RunSecrets(data).Load(runs[2].Id)["token"]);
        Assert.Equal(0, (await BatchStatus.LoadAsync(data, handle.BatchId))!.FailedCount);
    }

    [Fact]
    public async Task A_cancelled_batch_never_starts_its_waiting_hosts_a_running_batch_cannot_be_rerun_and_rerun_failed_starts_them()
    {
        var engine = NewEngine();
        var fleet = engine.Fleet;
        var handle = await fleet.StartAsync(HostMarkerPlan.Request(work, "a", holdMs: 30_000), Hosts("h1", "h2", "h3"), parallel: 1);
        for (var i = 0; i < 600 && (await RunsOf(handle.BatchId)).Count == 0; i++) await Task.Delay(50);
        Assert.Single(await RunsOf(handle.BatchId));

        var executing = (await BatchStatus.LoadAsync(data, handle.BatchId))!;
        Assert.True(executing.IsExecuting);
        Assert.Equal(["Waiting", "Waiting"], executing.Hosts.Skip(1).Select(h => h.State));
        var busy = await Assert.ThrowsAsync<InputException>(() => fleet.RerunFailedAsync(handle.BatchId, 2));
        Assert.Contains("is still running", busy.Message);

        Assert.True(await fleet.CancelAsync(handle.BatchId));
        var results = await handle.Completion;
        Assert.Equal(RunState.Cancelled, results[0].State);
        Assert.All(results.Skip(1), r => Assert.Equal((null, "the batch was cancelled before this host started"), (r.RunId, r.Error)));
        var stopped = (await BatchStatus.LoadAsync(data, handle.BatchId))!;
        Assert.Equal(["Cancelled", "NotStarted", "NotStarted"], stopped.Hosts.Select(h => h.State));
        Assert.Equal(3, stopped.FailedCount);

        // The hold was there to cancel in; the retry runs each host without it.
        await using (var db = ControlPanelDb.Open(data))
        {
            await db.Batches.Where(b => b.Id == handle.BatchId).ExecuteUpdateAsync(u => u.SetProperty(b => b.InputsJson, b => b.InputsJson!.Replace("30000", "0")));
            await db.Runs.Where(r => r.BatchId == handle.BatchId).ExecuteUpdateAsync(u => u.SetProperty(r => r.InputsJson, r => r.InputsJson.Replace("30000", "0")));
        }
        var again = await (await fleet.RerunFailedAsync(handle.BatchId, parallel: 3)).Completion;
        Assert.Equal(["h1", "h2", "h3"], again.Select(r => r.Target.Name));
        Assert.Equal([RunState.Succeeded, RunState.Succeeded, RunState.Succeeded], again.Select(r => r.State));
        Assert.Equal(["Succeeded", "Succeeded", "Succeeded"], (await BatchStatus.LoadAsync(data, handle.BatchId))!.Hosts.Select(h => h.State));
    }

    [Fact]
    public async Task A_batch_is_rerun_only_by_an_engine_with_the_plans_it_was_started_with()
    {
        FailOn("h1", "a");
        var handle = await NewEngine().Fleet.StartAsync(HostMarkerPlan.Request(work, "a"), Hosts("h1"), parallel: 1);
        await handle.Completion;
        Assert.Equal(HostMarkerPlan.Kind, await FleetRunner.CatalogOfBatchAsync(data, handle.BatchId));

        var impostor = engines.Create(new EngineOptions(data), new ControlPanel.Engine.Plans.PlanCatalog("stack").Add(HostMarkerPlan.Kind, HostMarkerPlan.HostMarkerRequest.From, r => HostMarkerPlan.Catalog().Create(r)),
            hosts: new NamedLocalHosts());
        var refused = await Assert.ThrowsAsync<InputException>(() => impostor.Fleet.RerunFailedAsync(handle.BatchId, 1));
        Assert.Equal("batch", refused.Field);
        Assert.Contains("was started with the plans \"host-marker\", which this process does not have (it has \"stack\")", refused.Message);
        Assert.Equal(1, (await RunsOf(handle.BatchId)).Single().Attempts);
        Assert.Contains("is not a batch", (await Assert.ThrowsAsync<InputException>(() => FleetRunner.CatalogOfBatchAsync(data, 999))).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public async Task Parallel_out_of_range_and_duplicate_hosts_are_refused_before_anything_starts(int parallel)
    {
        var fleet = NewEngine().Fleet;
        Assert.Equal("parallel", (await Assert.ThrowsAsync<InputException>(() => fleet.StartAsync(HostMarkerPlan.Request(work, "a"), Hosts("h1"), parallel))).Field);
        Assert.Contains("is named twice", (await Assert.ThrowsAsync<InputException>(() => fleet.StartAsync(HostMarkerPlan.Request(work, "a"), Hosts("h1", "h1"), 2))).Message);
        await using var db = ControlPanelDb.Open(data);
        Assert.Equal(0, await db.Batches.CountAsync());
        Assert.Equal(0, await db.Runs.CountAsync());
    }
}
