using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Jobs;

/// <summary>
/// Runs as Hangfire jobs on the real SQLite storage: delivered twice, cancelled while queued, handed to another queue,
/// never retried by Hangfire. The same on PostgreSQL's storage in the class below.
/// </summary>
public class RunJobsTests : IAsyncLifetime
{
    readonly TempDir tmp = new();
    readonly TestEngines engines = new();
    string Data => tmp.Sub("data");
    string Work => tmp.Sub("work");

    /// <summary>The data directory's database, as `--database` takes it.</summary>
    protected virtual Task<string> DatabaseAsync() => Task.FromResult("sqlite");

    bool OnPostgres => DatabaseLocation.Of(Data).IsPostgres;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Work);
        DatabaseLocation.Use(Data, await DatabaseAsync());
        ControlPanelDb.Migrate(Data);
    }

    public async Task DisposeAsync()
    {
        await engines.DisposeAsync();
        tmp.Dispose();
    }

    RunEngine NewEngine(JobOptions? jobs = null) =>
        engines.Create(new EngineOptions(Data) { CancelPollInterval = TimeSpan.FromMilliseconds(50) }, MarkerPlan.Catalog(), jobs: jobs);

    string[] Applied() => File.Exists(Path.Combine(Work, "applied")) ? File.ReadAllLines(Path.Combine(Work, "applied")) : [];

    async Task<RunRecord> Load(long id)
    {
        await using var db = ControlPanelDb.Open(Data);
        return await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index)).SingleAsync(r => r.Id == id);
    }

    async Task<List<RunEventRecord>> RunEvents(long id)
    {
        await using var db = ControlPanelDb.Open(Data);
        return await db.RunEvents.AsNoTracking().Where(e => e.RunId == id && e.StageIndex == null).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>A job's states, newest first.</summary>
    static IReadOnlyList<string> JobStates(RunEngine engine, string jobId) =>
        ((HangfireRunQueue)engine.Queue).Storage.GetMonitoringApi().JobDetails(jobId).History.Select(h => h.StateName).ToList();

    [Fact]
    public async Task A_run_longer_than_the_invisibility_timeout_is_delivered_again_but_each_stage_runs_once_and_the_run_ends_once()
    {
        // Hangfire.Storage.SQLite hands a job out again once it was invisible this long, whether or not its worker still
        // runs it; Hangfire.PostgreSql renews the claim while the worker runs it (sliding invisibility), so there it never is.
        var engine = NewEngine(new JobOptions { Workers = 4, InvisibilityTimeout = TimeSpan.FromSeconds(2), PollInterval = TimeSpan.FromMilliseconds(200) });
        File.WriteAllText(Path.Combine(Work, "sleep-a"), "7");
        var handle = await engine.StartAsync(MarkerPlan.Request(Work, "a,b"), "local");
        Assert.Equal(RunState.Succeeded, await handle.Completion);

        var run = await Load(handle.RunId);
        Assert.Equal(["a", "b"], Applied());
        Assert.All(run.Stages, s => Assert.Equal(1, s.Attempts));
        Assert.Equal(1, run.Attempts);
        Assert.Equal([RunState.Queued, RunState.Running, RunState.Succeeded], (await RunEvents(handle.RunId)).Select(e => e.State));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var deliveries = JobStates(engine, run.JobId!).Count(s => s == ProcessingState.StateName);
        if (OnPostgres) Assert.Equal(1, deliveries);
        // The job really was taken again by another worker while the first still ran it: the ticket made that delivery a no-op.
        else Assert.True(deliveries >= 2, "the job was delivered once only: " + string.Join(", ", JobStates(engine, run.JobId!)));
    }

    [Fact]
    public async Task A_job_whose_ticket_was_used_or_replaced_does_nothing()
    {
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(Work, "a"), "local");
        Assert.Equal(RunState.Succeeded, await handle.Completion);
        var ticketless = await Load(handle.RunId);
        Assert.Null(ticketless.JobTicket);

        Assert.Null(await engine.ExecuteAsync(new RunJobRequest(handle.RunId, "an-old-ticket", RerunMode.Resume, null, "replayed"), CancellationToken.None));
        Assert.Equal(["a"], Applied());
        Assert.Equal(1, (await Load(handle.RunId)).Attempts);
    }

    [Fact]
    public async Task A_run_cancelled_while_queued_ends_cancelled_and_its_job_does_nothing_when_it_comes()
    {
        // Nobody serves this engine's queue yet: the run waits in it.
        var engine = NewEngine(new JobOptions { StartOnEnqueue = false, PollInterval = TimeSpan.FromMilliseconds(200) });
        var handle = await engine.StartAsync(MarkerPlan.Request(Work, "a"), "local");
        Assert.Equal(RunState.Queued, (await Load(handle.RunId)).State);
        // The host is taken from the moment the run is queued.
        await Assert.ThrowsAsync<HostBusyException>(() => NewEngine().StartAsync(MarkerPlan.Request(Work, "a"), "local"));

        Assert.True(await engine.CancelAsync(handle.RunId));
        Assert.Equal(RunState.Cancelled, await handle.Completion);
        var jobId = (await Load(handle.RunId)).JobId!;
        ((HangfireRunQueue)engine.Queue).Start();
        for (var i = 0; i < 300 && JobStates(engine, jobId).FirstOrDefault() != SucceededState.StateName; i++) await Task.Delay(50);
        Assert.Equal(SucceededState.StateName, JobStates(engine, jobId).First());
        Assert.Empty(Applied());
        Assert.Equal(RunState.Cancelled, (await Load(handle.RunId)).State);
    }

    [Fact]
    public async Task A_run_handed_to_another_queue_is_executed_by_the_process_serving_it()
    {
        var cli = NewEngine();
        var panel = NewEngine(new JobOptions { Queue = RunQueueNames.Panel, StartOnEnqueue = false, PollInterval = TimeSpan.FromMilliseconds(200) });
        ((HangfireRunQueue)panel.Queue).Start();
        var handle = await cli.StartAsync(MarkerPlan.Request(Work, "a"), "local", onQueue: RunQueueNames.Panel);
        Assert.Equal(RunState.Succeeded, await handle.Completion);
        var run = await Load(handle.RunId);
        Assert.Equal(RunQueueNames.Panel, run.JobQueue);
        var processing = ((HangfireRunQueue)panel.Queue).Storage.GetMonitoringApi().JobDetails(run.JobId!).History
            .First(h => h.StateName == ProcessingState.StateName);
        Assert.Contains($":{RunQueueNames.Panel}:", processing.Data["ServerId"]);
        Assert.Equal(["a"], Applied());
    }

    [Fact]
    public async Task Hangfire_never_retries_a_run_that_failed_the_engine_retried_its_stage_itself()
    {
        var engine = NewEngine();
        File.WriteAllText(Path.Combine(Work, "fail-a"), "transient 5");
        var handle = await engine.StartAsync(MarkerPlan.Request(Work, "a"), "local");
        Assert.Equal(RunState.Failed, await handle.Completion);
        var run = await Load(handle.RunId);
        // Three attempts of the stage, by the engine's own retry (the stage's MaxAttempts), in one delivery of one job.
        Assert.Equal(3, run.Stages[0].Attempts);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var states = JobStates(engine, run.JobId!);
        Assert.Equal(FailedState.StateName, states.First());
        Assert.Equal(1, states.Count(s => s == ProcessingState.StateName));
    }

    [Fact]
    public async Task A_batch_chains_its_hosts_through_their_jobs_and_each_job_is_named_for_its_run()
    {
        var engine = NewEngine(new JobOptions { Workers = 2 });
        var titles = new List<string>();
        var batch = await engine.Fleet.StartAsync(MarkerPlan.Request(Work, "a"), [new FleetTarget("one", "local")], parallel: 1,
            started: (_, h) => { lock (titles) titles.Add(h.RunId.ToString()); });
        var results = await batch.Completion;
        var run = await Load(results.Single().RunId!.Value);
        var job = ((HangfireRunQueue)engine.Queue).Storage.GetMonitoringApi().JobDetails(run.JobId!);
        Assert.Equal($"marker on one, run {run.Id} (batch {batch.BatchId})", job.Job.Args[0]);
        Assert.Equal([run.Id.ToString()], titles);
    }
}

/// <summary>The same on a real PostgreSQL (Hangfire.PostgreSql's storage and queue, the panel's rows through Npgsql).</summary>
public sealed class RunJobsOnPostgresTests : RunJobsTests
{
    protected override Task<string> DatabaseAsync() => PostgresPeer.NewDatabaseAsync();
}
