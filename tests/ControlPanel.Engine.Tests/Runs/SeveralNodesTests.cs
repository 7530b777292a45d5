using ControlPanel.Engine.Data;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ControlPanel.Engine.Tests.Runs;

/// <summary>
/// Two nodes of one panel in one process: two data directories naming one real PostgreSQL (a throw-away cluster of
/// Debian's postgresql), each with its engine. What keeps them one panel: the host lock lives in the database, news of
/// a run reaches the other node, a node that lost its lock stops, and the other takes its run over.
/// </summary>
public sealed class SeveralNodesTests : IAsyncLifetime
{
    readonly TempDir tmp = new();
    readonly TestEngines engines = new();
    string database = "";
    string A => tmp.Sub("node-a");
    string B => tmp.Sub("node-b");
    string Work => tmp.Sub("work");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Work);
        database = await PostgresPeer.NewDatabaseAsync();
        foreach (var node in new[] { A, B }) DatabaseLocation.Use(node, database);
        ControlPanelDb.Migrate(A);
    }

    public async Task DisposeAsync()
    {
        await engines.DisposeAsync();
        tmp.Dispose();
    }

    RunEngine Node(string data, string name, int workers = 2) =>
        engines.Create(new EngineOptions(data) { Holder = name, Node = name, CancelPollInterval = TimeSpan.FromMilliseconds(100) }, MarkerPlan.Catalog(),
            jobs: new JobOptions { Queue = RunQueueNames.Panel, Workers = workers, StartOnEnqueue = false, PollInterval = TimeSpan.FromMilliseconds(200) });

    [Fact]
    public async Task A_host_lock_held_on_one_node_holds_on_the_other_names_its_holder_and_dies_with_its_connection()
    {
        using (var held = HostLock.TryAcquire(A, "ssh:root@10.0.0.7:22", "node-a"))
        {
            Assert.NotNull(held);
            Assert.Null(HostLock.TryAcquire(B, "ssh:root@10.0.0.7:22", "node-b"));
            Assert.StartsWith("node-a (pid ", HostLock.Describe(B, "ssh:root@10.0.0.7:22"));
            // The takeover's one query: which of these hosts someone holds.
            Assert.Equal(["ssh:root@10.0.0.7:22"], await HostLock.HeldAsync(B, ["ssh:root@10.0.0.7:22", "ssh:root@10.0.0.8:22"]));
            // Another host is free.
            using (var other = HostLock.TryAcquire(B, "ssh:root@10.0.0.8:22", "node-b")) Assert.NotNull(other);
            Assert.True(held.CanBeLost);
            Assert.True(await held.IsHeldAsync());
        }
        using (var again = HostLock.TryAcquire(B, "ssh:root@10.0.0.7:22", "node-b")) Assert.NotNull(again);

        // A node that vanished: the server ends its session, and the lock goes with it.
        var vanished = HostLock.TryAcquire(A, "ssh:root@10.0.0.7:22", "node-a")!;
        await TerminateAsync("node-a (pid%");
        Assert.False(await vanished.IsHeldAsync());
        using (var taken = HostLock.TryAcquire(B, "ssh:root@10.0.0.7:22", "node-b")) Assert.NotNull(taken);
        vanished.Dispose();
    }

    [Fact]
    public async Task A_run_executed_on_one_node_is_news_on_the_other()
    {
        var a = Node(A, "node-a");
        var b = Node(B, "node-b");
        var seen = new List<(long Id, RunState State)>();
        b.News.WatchOtherProcesses();
        b.News.Changed += d => { lock (seen) seen.Add((d.Run.Id, d.Run.State)); };
        await Task.Delay(500);
        ((HangfireRunQueue)a.Queue).Start();
        var handle = await a.StartAsync(MarkerPlan.Request(Work, "x,y"), "local", onQueue: RunQueueNames.Panel);
        Assert.Equal(RunState.Succeeded, await handle.Completion);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            lock (seen) if (seen.Contains((handle.RunId, RunState.Succeeded))) break;
            await Task.Delay(50);
        }
        lock (seen) Assert.Contains((handle.RunId, RunState.Succeeded), seen);
        Assert.Equal("node-a", (await LoadAsync(handle.RunId)).Node);
    }

    [Fact]
    public async Task A_node_that_lost_its_lock_stops_the_run_and_the_other_node_resumes_it_from_its_stage()
    {
        var a = Node(A, "node-a");
        var b = Node(B, "node-b");
        ((HangfireRunQueue)a.Queue).Start();
        File.WriteAllText(Path.Combine(Work, "sleep-y"), "30");
        var handle = await a.StartAsync(MarkerPlan.Request(Work, "x,y,z"), "local", onQueue: RunQueueNames.Panel);
        while ((await LoadAsync(handle.RunId)).Stages is var stages && stages[1].State != RunState.Running) await Task.Delay(50);
        // Nobody else may take it while A holds the host.
        Assert.Empty(await b.ResumeStoppedPanelRunsAsync("panel"));

        // A's lock connection dies (its node cut off from the database): A stops within its next look, B takes over.
        File.Delete(Path.Combine(Work, "sleep-y"));
        await TerminateAsync("node-a (pid%");
        Assert.Equal(RunState.Interrupted, await handle.Completion);
        // A stays cut off: only B serves the queue now.
        await ((HangfireRunQueue)a.Queue).StopAsync();
        ((HangfireRunQueue)b.Queue).Start();
        Assert.Equal([handle.RunId], await b.ResumeStoppedPanelRunsAsync("panel"));
        Assert.Equal(RunState.Succeeded, await b.WaitForEndAsync(handle.RunId).WaitAsync(TimeSpan.FromSeconds(60)));
        var run = await LoadAsync(handle.RunId);
        Assert.Equal("node-b", run.Node);
        Assert.Equal(2, run.Attempts);
        // x was done on A and kept; y, cut off on A, and z were done by B.
        Assert.Equal([RunState.Succeeded, RunState.Succeeded, RunState.Succeeded], run.Stages.Select(s => s.State));
        Assert.Equal([1, 2, 1], run.Stages.Select(s => s.Attempts));
        Assert.True(File.Exists(Path.Combine(Work, "done-z")));
    }

    [Fact]
    public async Task A_node_that_goes_on_after_losing_its_lock_records_nothing_once_the_other_node_took_the_run_over()
    {
        // A's one worker stays busy with the run it cannot stop: B's worker takes the resume.
        var a = Node(A, "node-a", workers: 1);
        var b = Node(B, "node-b");
        ((HangfireRunQueue)a.Queue).Start();
        // y waits deaf to its cancellation: A cannot stop it when its lock goes.
        File.WriteAllText(Path.Combine(Work, "deaf-y"), "");
        var handle = await a.StartAsync(MarkerPlan.Request(Work, "x,y,z"), "local", onQueue: RunQueueNames.Panel);
        while ((await LoadAsync(handle.RunId)).Stages is var stages && stages[1].State != RunState.Running) await Task.Delay(50);
        await TerminateAsync("node-a (pid%");

        // B takes the run over while A's stage still waits; B's own y waits too, until both are let go together.
        ((HangfireRunQueue)b.Queue).Start();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await b.ResumeStoppedPanelRunsAsync("panel")).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "B never took the run over");
            await Task.Delay(100);
        }
        while ((await LoadAsync(handle.RunId)) is var taken && !(taken.Attempts == 2 && taken.Stages[1].State == RunState.Running)) await Task.Delay(50);
        File.Delete(Path.Combine(Work, "deaf-y"));

        Assert.Equal(RunState.Succeeded, await b.WaitForEndAsync(handle.RunId).WaitAsync(TimeSpan.FromSeconds(60)));
        // A's execution ended too, and recorded nothing after B's start: neither its y nor its run's end.
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (a.IsActive(handle.RunId))
        {
            Assert.True(DateTime.UtcNow < deadline, "A's execution never ended");
            await Task.Delay(50);
        }
        var run = await LoadAsync(handle.RunId);
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.Equal("node-b", run.Node);
        Assert.Equal([1, 2, 1], run.Stages.Select(s => s.Attempts));
        Assert.Equal(["x", "y", "y", "z"], File.ReadAllLines(Path.Combine(Work, "applied")).Order());
        await using var db = ControlPanelDb.Open(A);
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == handle.RunId).OrderBy(e => e.Id).ToListAsync();
        var resumed = events.Last(e => e.StageIndex == null && e.State == RunState.Running).Id;
        Assert.Equal([RunState.Running, RunState.Succeeded, RunState.Running, RunState.Succeeded, RunState.Succeeded],
            events.Where(e => e.Id > resumed).Select(e => e.State));
        Assert.Equal(RunState.Succeeded, events[^1].State);
        Assert.Null(events[^1].StageIndex);
    }

    async Task<RunRecord> LoadAsync(long id)
    {
        await using var db = ControlPanelDb.Open(A);
        return await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index)).SingleAsync(r => r.Id == id);
    }

    /// <summary>Ends the server sessions whose application name is like <paramref name="pattern"/> (a node's lock connections).</summary>
    async Task TerminateAsync(string pattern)
    {
        await using var connection = new NpgsqlConnection(DatabaseLocation.Of(A).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE @pattern", connection);
        command.Parameters.AddWithValue("pattern", pattern);
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
    }
}
