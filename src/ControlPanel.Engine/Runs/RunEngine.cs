using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// Queues, executes, resumes, re-runs and cancels runs. Durable: every state change is in the database before the
/// next step, so a run killed at any point is found on the next start and can be resumed from its stage. A run is
/// queued as a job (<see cref="IRunQueue"/>: Hangfire) and executed by whichever worker takes it; the job claims the
/// run with its ticket, so a job delivered twice never executes a stage twice.
/// </summary>
public sealed class RunEngine : IAsyncDisposable
{
    static readonly MessageTemplate OtherPlans = new("input.run-other-plans", "was started with the plans \"{catalog}\", which this process does not have (it has \"{plans}\"); it is re-run only with the plans it was started with");
    static readonly MessageTemplate StillOpen = new("input.run-still-open", "is still {state}; wait for it to end or cancel it");
    /// <summary>How long a job waits for the host lock that a start or a recovery probe holds for a moment.</summary>
    static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    readonly EngineOptions options;
    readonly IPlanFactory plans;
    readonly IHostFactory hosts;
    readonly LogHub hub;
    readonly IRunQueue queue;
    readonly ConcurrentDictionary<long, CancellationTokenSource> active = new();
    readonly RunSecrets secrets;

    public RunEngine(EngineOptions options, IPlanFactory plans, IHostFactory hosts, LogHub hub, IRunQueue queue)
    {
        (this.options, this.plans, this.hosts, this.hub, this.queue) = (options, plans, hosts, hub, queue);
        secrets = new RunSecrets(options.DataDirectory);
        Logs = new LogStore(options.DataDirectory);
        Fleet = new FleetRunner(this);
        News = new RunNews(options.DataDirectory, hub);
    }

    public LogStore Logs { get; }
    public LogHub Hub => hub;
    public EngineOptions Options => options;
    /// <summary>The plans this engine starts and re-runs; runs started with other plans are refused (<see cref="RequirePlans"/>).</summary>
    public IPlanFactory Plans => plans;
    /// <summary>Batches: one plan on several hosts, each host a run of its own.</summary>
    public FleetRunner Fleet { get; }
    /// <summary>The queue this engine's runs go to, and whose jobs this process executes.</summary>
    public IRunQueue Queue => queue;
    /// <summary>Each run as it stands after each change, for the faces to follow.</summary>
    public RunNews News { get; }

    /// <summary>Records a run for the request on the host and queues it. Throws InputException (bad input) or HostBusyException.</summary>
    /// <param name="batchId">The batch (<see cref="FleetRunner"/>) the run belongs to, if any.</param>
    /// <param name="hostName">The host's inventory name, if it has one.</param>
    /// <param name="onQueue">The queue to execute it (default this process's); <see cref="RunQueueNames.Panel"/> hands it to the panel.</param>
    /// <param name="claim">Done in the same transaction as the run's record (a batch taking the host off its waiting list):
    /// false means someone else took it, and <see cref="ClaimLostException"/> is thrown with nothing recorded.</param>
    public async Task<RunHandle> StartAsync(PlanRequest request, string hostSpec, string? requestedBy = null, long? batchId = null, string? hostName = null,
        string? onQueue = null, Func<ControlPanelDb, Task<bool>>? claim = null)
    {
        var plan = plans.Create(request);
        string hostKey;
        await using (var host = hosts.Create(hostSpec)) hostKey = host.Key;
        var target = onQueue ?? queue.Name;
        var stored = request.Store();
        RunRecord run;
        using (await HoldHostAsync(hostKey, null))
        {
            await using var db = ControlPanelDb.Open(options.DataDirectory);
            await RequireIdleAsync(db, hostKey, null);
            // The run, its stages and the claim in one transaction: a process killed halfway leaves none of them.
            await using var tx = await db.Database.BeginTransactionAsync();
            if (claim is not null && !await claim(db)) throw new ClaimLostException();
            run = new RunRecord
            {
                Kind = request.PlanKind,
                HostSpec = hostSpec,
                HostKey = hostKey,
                HostName = hostName,
                BatchId = batchId,
                Catalog = plans.Name,
                State = RunState.Queued,
                InputsJson = JsonSerializer.Serialize(stored.Inputs),
                RequestedBy = requestedBy ?? options.Holder,
                CreatedAt = DateTime.UtcNow,
                JobQueue = target,
                JobTicket = NewTicket(),
            };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            for (var i = 0; i < plan.Stages.Count; i++)
                run.Stages.Add(new StageRunRecord
                {
                    RunId = run.Id, Index = i, Name = plan.Stages[i].Name, Title = plan.Stages[i].Title,
                    State = RunState.Queued, LogFile = Logs.StageFile(run.Id, i, plan.Stages[i].Name),
                });
            db.RunEvents.Add(Event(run.Id, RunState.Queued, RunMessages.CreatedBy.With(("user", run.RequestedBy))));
            await db.SaveChangesAsync();
            secrets.Save(run.Id, stored.Secrets);
            await tx.CommitAsync();
        }
        await EnqueueAsync(run, RerunMode.Resume, null);
        return Handle(run.Id);
    }

    /// <summary>Resumes a run, or re-runs it from a stage, or re-runs one stage alone.</summary>
    /// <param name="claim">As <see cref="StartAsync"/>'s: done in the transaction that queues the run again.</param>
    public async Task<RunHandle> RerunAsync(long runId, RerunMode mode, string? stageName = null, string? requestedBy = null, string? onQueue = null,
        Func<ControlPanelDb, Task<bool>>? claim = null)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var run = await db.Runs.Include(r => r.Stages).SingleOrDefaultAsync(r => r.Id == runId)
                  ?? throw new KeyNotFoundException($"run {runId} does not exist");
        RequirePlans("RUN_ID", runId, run.Catalog);
        var plan = plans.Create(RequestOf(run));
        int? target = null;
        if (mode != RerunMode.Resume)
        {
            if (stageName is null) throw new ArgumentException($"a stage name is needed to re-run {mode}", nameof(stageName));
            target = plan.IndexOf(stageName);
            if (target < 0)
                throw new InputException("stage", stageName, InputReasons.NotAStage.With(("run", runId), ("stages", string.Join(", ", plan.Stages.Select(s => s.Name)))));
        }

        using (await HoldHostAsync(run.HostKey, runId))
        {
            // Read again under the lock: another process (another node resuming it too) may have queued it meanwhile.
            await db.Entry(run).ReloadAsync();
            if (run.State is RunState.Queued or RunState.Running)
                throw new InputException("RUN_ID", runId.ToString(), StillOpen.With(("state", run.State)));
            await RequireIdleAsync(db, run.HostKey, runId);
            foreach (var s in run.Stages)
            {
                var reset = mode switch
                {
                    RerunMode.Resume => !s.State.IsDone(),
                    RerunMode.From => s.Index >= target,
                    _ => s.Index == target,
                };
                if (reset) s.State = RunState.Queued;
            }
            run.State = RunState.Queued;
            run.CancelRequested = false;
            run.JobQueue = onQueue ?? queue.Name;
            run.JobTicket = NewTicket();
            var by = requestedBy ?? options.Holder;
            db.RunEvents.Add(Event(runId, RunState.Queued, mode switch
            {
                RerunMode.Resume => RunMessages.ResumeBy.With(("user", by)),
                RerunMode.Only => RunMessages.RerunOnlyBy.With(("stage", stageName), ("user", by)),
                _ => RunMessages.RerunFromBy.With(("stage", stageName), ("user", by)),
            }));
            await using var tx = await db.Database.BeginTransactionAsync();
            if (claim is not null && !await claim(db)) throw new ClaimLostException();
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        await EnqueueAsync(run, mode, target);
        return Handle(runId);
    }

    /// <summary>
    /// Executes a queued run for its job: claims the run with the job's ticket under the host lock, walks its stages,
    /// and starts the next waiting host of its batch. A job whose ticket was consumed already (delivered again after
    /// the job system's invisibility timeout, or superseded by a newer job after a restart) returns null at once; an
    /// execution that lost the host and was taken over by another node meanwhile returns null at its next record.
    /// </summary>
    public async Task<RunState?> ExecuteAsync(RunJobRequest job, CancellationToken jobCancellation)
    {
        if (!await HoldsTicketAsync(job)) return null;
        var hostKey = await KeyOfRunAsync(job.RunId);
        var hostLock = await WaitForHostAsync(hostKey);
        if (hostLock is null)
            return await FailUnclaimedAsync(job, new HostBusyException(hostKey, HostLock.Describe(options.DataDirectory, hostKey)).Message);
        RunRecord run;
        try
        {
            await using var db = ControlPanelDb.Open(options.DataDirectory);
            var claimed = await db.Runs.Where(r => r.Id == job.RunId && r.JobTicket == job.Ticket)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.JobTicket, (string?)null).SetProperty(r => r.Node, options.Node));
            if (claimed == 0) { hostLock.Dispose(); return null; }
            run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == job.RunId);
        }
        catch
        {
            hostLock.Dispose();
            throw;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(jobCancellation);
        active[run.Id] = cts;
        RunState? state;
        try
        {
            var request = RequestOf(run);
            var plan = plans.Create(request);
            await using var host = hosts.Create(run.HostSpec);
            using var watch = WatchForCancel(run.Id, cts);
            using var held = WatchHostLock(hostLock, cts);
            state = await new RunExecution(options, Logs, hub, run.Id, plan, request, host, job.Mode, job.StageIndex,
                run.JobQueue == RunQueueNames.Panel, () => queue.IsStopping || held.Lost, cts.Token).ExecuteAsync();
        }
        finally
        {
            hostLock.Dispose();
            active.TryRemove(run.Id, out _);
            // The end is final only now that the host is free: whoever waited for it may start the next run at once.
            hub.NotifyRunChanged(run.Id);
        }
        // Taken over by another node (this one had lost the host): the batch's next host is that node's to start.
        if (state is null) return null;
        if (run.BatchId is { } batchId) await Fleet.LaunchNextAsync(batchId);
        return state;
    }

    /// <summary>
    /// Refuses to go on with a run or batch started with other plans than this engine's: fixture stages would
    /// "resume" a real install without touching the host, and real stages would install on a machine a test
    /// only pretended to.
    /// </summary>
    public void RequirePlans(string field, long id, string catalog)
    {
        if (catalog != plans.Name)
            throw new InputException(field, id.ToString(),
                OtherPlans.With(("catalog", catalog), ("plans", plans.Name)));
    }

    /// <summary>The plans a stored run was started with, for a face that builds its engine to re-run it.</summary>
    public static async Task<string> CatalogOfRunAsync(string dataDirectory, long runId)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.Catalog).SingleOrDefaultAsync()
               ?? throw new KeyNotFoundException($"run {runId} does not exist");
    }

    /// <summary>Asks a run to stop, whichever process executes it; a run still waiting in its queue ends Cancelled here.</summary>
    public async Task<bool> CancelAsync(long runId)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var n = await db.Runs.Where(r => r.Id == runId && (r.State == RunState.Running || r.State == RunState.Queued))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CancelRequested, true));
        if (active.TryGetValue(runId, out var cts)) cts.Cancel();
        // Consuming the ticket settles the race with a job taking the run right now: whoever changes it first wins.
        var waiting = await db.Runs.Where(r => r.Id == runId && r.State == RunState.Queued && r.JobTicket != null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.JobTicket, (string?)null)
                .SetProperty(r => r.State, RunState.Cancelled).SetProperty(r => r.EndedAt, DateTime.UtcNow)
                .SetProperty(r => r.Error, RunMessages.Cancelled.English).SetProperty(r => r.ErrorJson, RunMessages.Cancelled.Message().ToJson())
                .SetProperty(r => r.CancelRequested, false));
        if (waiting > 0)
        {
            db.RunEvents.Add(Event(runId, RunState.Cancelled, RunMessages.Cancelled.Message()));
            await db.SaveChangesAsync();
            hub.NotifyRunChanged(runId);
            var batchId = await db.Runs.Where(r => r.Id == runId).Select(r => r.BatchId).SingleAsync();
            if (batchId is { } b) await Fleet.LaunchNextAsync(b);
        }
        return n > 0;
    }

    /// <summary>
    /// Marks as Interrupted the runs whose executing process died (left Running with their host lock free) and the
    /// runs queued by a CLI process that has ended. A run whose host lock is held is alive in another process or on
    /// another node; a run queued for the panel waits for the panel. Returns the ids it marked.
    /// </summary>
    public async Task<IReadOnlyList<long>> RecoverInterruptedAsync()
    {
        // Nearly always nothing is open: asked in plain SQL, so a one-shot CLI verb does not pay for EF's first query here.
        if (!await RunRows.AnyOpenAsync(options.DataDirectory, CancellationToken.None)) return [];
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var open = await db.Runs.AsNoTracking().Where(r => r.State == RunState.Running || r.State == RunState.Queued)
            .Select(r => new { r.Id, r.State, r.HostKey, r.JobQueue }).ToListAsync();
        var recovered = new List<long>();
        var held = await HostLock.HeldAsync(options.DataDirectory, open.Select(r => r.HostKey));
        foreach (var candidate in open)
        {
            if (active.ContainsKey(candidate.Id) || held?.Contains(candidate.HostKey) == true) continue;
            if (candidate.State == RunState.Queued && !RunQueueNames.IsOrphaned(candidate.JobQueue)) continue;
            using var probe = HostLock.TryAcquire(options.DataDirectory, candidate.HostKey, "recovery");
            if (probe is null) continue;
            // Read again under the lock: its executor may have ended it and let go of the lock since the list was read.
            var run = await db.Runs.Include(r => r.Stages).SingleAsync(r => r.Id == candidate.Id);
            if (run.State != candidate.State || run.JobQueue != candidate.JobQueue) continue;
            var stopped = StoppedMessage(run.JobQueue == RunQueueNames.Panel);
            run.State = RunState.Interrupted;
            run.EndedAt = DateTime.UtcNow;
            run.JobTicket = null;
            run.Error = stopped.Text;
            run.ErrorJson = stopped.ToJson();
            foreach (var s in run.Stages.Where(s => s.State == RunState.Running))
            {
                s.State = RunState.Interrupted;
                s.EndedAt = DateTime.UtcNow;
                db.RunEvents.Add(new RunEventRecord { RunId = run.Id, StageIndex = s.Index, State = RunState.Interrupted, At = DateTime.UtcNow });
            }
            db.RunEvents.Add(Event(run.Id, RunState.Interrupted, stopped));
            // Saved while the lock is held: nobody can start the host between this look and the write.
            await db.SaveChangesAsync();
            recovered.Add(run.Id);
        }
        foreach (var id in recovered) hub.NotifyRunChanged(id);
        return recovered;
    }

    /// <summary>
    /// Runs the panel was executing when it stopped (a node killed, or the panel shut down) resume from their stage:
    /// at a node's start, and every few seconds on the other nodes of a panel, which take over a dead node's runs.
    /// Returns the resumed runs.
    /// </summary>
    public async Task<IReadOnlyList<long>> ResumeStoppedPanelRunsAsync(string requestedBy)
    {
        await RecoverInterruptedAsync();
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var stoppedKey = RunMessages.PanelStopped.Key;
        var interrupted = await db.Runs.Where(r => r.State == RunState.Interrupted && r.JobQueue == RunQueueNames.Panel
                                                   && r.ErrorJson != null && r.ErrorJson.Contains(stoppedKey))
            .Select(r => r.Id).ToListAsync();
        var resumed = new List<long>();
        foreach (var id in interrupted)
        {
            try
            {
                await RerunAsync(id, RerunMode.Resume, null, requestedBy, RunQueueNames.Panel);
                resumed.Add(id);
            }
            catch (Exception e) when (e is InputException or HostBusyException) { }
        }
        // A run recorded for the panel whose job never got written (its process killed in between) would wait forever.
        var unqueued = await db.Runs.AsNoTracking().Where(r => r.State == RunState.Queued && r.JobQueue == RunQueueNames.Panel
                                                               && r.JobId == null && r.CreatedAt < DateTime.UtcNow.AddSeconds(-30)).ToListAsync();
        foreach (var run in unqueued) await RequeueAsync(db, run);
        return resumed;
    }

    /// <summary>A waiting run gets a new ticket and a new job (an older job of it, if any, then finds its ticket gone); not while its host is held.</summary>
    async Task RequeueAsync(ControlPanelDb db, RunRecord run)
    {
        using (var probe = HostLock.TryAcquire(options.DataDirectory, run.HostKey, "recovery"))
            if (probe is null) return;
        var ticket = NewTicket();
        var requeued = await db.Runs.Where(r => r.Id == run.Id && r.State == RunState.Queued && r.JobTicket == run.JobTicket)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.JobTicket, ticket));
        if (requeued == 0) return;
        run.JobTicket = ticket;
        await EnqueueAsync(run, RerunMode.Resume, null);
    }

    /// <summary>
    /// What the panel does when it starts: runs it was executing when it stopped (killed or shut down) resume from
    /// their stage, and runs queued for it are queued again (a job the stopped panel had taken would otherwise wait
    /// for the job system's invisibility timeout; the older job finds its ticket gone). Returns the resumed runs.
    /// </summary>
    public async Task<IReadOnlyList<long>> ResumeAfterPanelStopAsync(string requestedBy)
    {
        var resumed = await ResumeStoppedPanelRunsAsync(requestedBy);
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var waiting = await db.Runs.AsNoTracking().Where(r => r.State == RunState.Queued && r.JobQueue == RunQueueNames.Panel && r.JobTicket != null).ToListAsync();
        foreach (var run in waiting) await RequeueAsync(db, run);
        return resumed;
    }

    /// <summary>
    /// The secret a run's plan keeps on its host (faasd's admin password, <see cref="Stage.SecretFile"/>), read from the
    /// host now, so it is the one in use even when the host kept an older password; null when the plan keeps none or
    /// the file is gone.
    /// </summary>
    public async Task<string?> ReadHostSecretAsync(long runId, CancellationToken ct = default)
    {
        RunRecord run;
        await using (var db = ControlPanelDb.Open(options.DataDirectory))
            run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, ct) ?? throw new KeyNotFoundException($"run {runId} does not exist");
        RequirePlans("RUN_ID", runId, run.Catalog);
        if (plans.Create(RequestOf(run)).Stages.Select(s => s.SecretFile).FirstOrDefault(f => f is not null) is not { } path) return null;
        await using var host = hosts.Create(run.HostSpec);
        return (await host.ReadFileAsync(path, ct))?.Trim();
    }

    /// <summary>Deletes a finished run with its logs and secrets (the history's "delete", and retention).</summary>
    public async Task DeleteAsync(long runId)
    {
        if (active.ContainsKey(runId)) throw new InvalidOperationException($"run {runId} is executing; cancel it first");
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var run = await db.Runs.FindAsync(runId) ?? throw new KeyNotFoundException($"run {runId} does not exist");
        if (run.State is RunState.Running or RunState.Queued) throw new InvalidOperationException($"run {runId} is {run.State}; cancel it first");
        db.Runs.Remove(run);
        await db.SaveChangesAsync();
        Logs.DeleteRun(runId);
        secrets.Delete(runId);
        hub.NotifyRunChanged(runId);
    }

    public bool IsActive(long runId) => active.ContainsKey(runId);

    /// <summary>Why a run did not succeed, in the words of the stage that stopped it (a CA's problem, nginx's refusal); null when nothing failed.</summary>
    public async Task<string?> FailureOfAsync(long runId)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        return await db.StageRuns.Where(s => s.RunId == runId && s.Error != null && s.State != RunState.Succeeded && s.State != RunState.Skipped)
                   .OrderByDescending(s => s.Index).Select(s => s.Error).FirstOrDefaultAsync()
               ?? await db.Runs.Where(r => r.Id == runId).Select(r => r.Error).SingleOrDefaultAsync();
    }

    /// <summary>Ends when the run has ended (whichever process executes it): its final state.</summary>
    public async Task<RunState> WaitForEndAsync(long runId, CancellationToken ct = default)
    {
        var changed = new SemaphoreSlim(0);
        void OnChange(long id) { if (id == runId) changed.Release(); }
        hub.RunChanged += OnChange;
        try
        {
            while (true)
            {
                await using (var db = ControlPanelDb.Open(options.DataDirectory))
                {
                    var state = await db.Runs.Where(r => r.Id == runId).Select(r => (RunState?)r.State).SingleOrDefaultAsync(ct)
                                ?? throw new KeyNotFoundException($"run {runId} does not exist");
                    if (state is not (RunState.Queued or RunState.Running) && !active.ContainsKey(runId)) return state;
                }
                // Changes made in this process are signalled; another process's (a run handed to the panel) are polled.
                await changed.WaitAsync(TimeSpan.FromSeconds(1), ct);
            }
        }
        finally { hub.RunChanged -= OnChange; }
    }

    public async ValueTask DisposeAsync()
    {
        if (queue is IAsyncDisposable d) await d.DisposeAsync();
        News.Dispose();
    }

    RunHandle Handle(long runId) => new(runId, () => WaitForEndAsync(runId));

    async Task EnqueueAsync(RunRecord run, RerunMode mode, int? stageIndex)
    {
        var jobId = queue.Enqueue(new RunJobRequest(run.Id, run.JobTicket!, mode, stageIndex, RunTitles.Of(run, mode, stageIndex)), run.JobQueue!);
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        await db.Runs.Where(r => r.Id == run.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.JobId, jobId));
        hub.NotifyRunChanged(run.Id);
    }

    /// <summary>
    /// The host lock, held for a moment while a run is recorded for the host: two starts cannot both find it idle. A
    /// host with a run queued or running is busy at once; a lock held without one (a run releasing it as it ends in
    /// another process, another start) is waited for a little.
    /// </summary>
    async Task<HostLock> HoldHostAsync(string hostKey, long? except)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (true)
        {
            if (HostLock.TryAcquire(options.DataDirectory, hostKey, options.Holder) is { } held) return held;
            await using (var db = ControlPanelDb.Open(options.DataDirectory)) await RequireIdleAsync(db, hostKey, except);
            if (DateTime.UtcNow > until) throw new HostBusyException(hostKey, HostLock.Describe(options.DataDirectory, hostKey));
            await Task.Delay(50);
        }
    }

    /// <summary>A host is busy while another of its runs is queued or running, whichever process will execute it.</summary>
    static async Task RequireIdleAsync(ControlPanelDb db, string hostKey, long? except)
    {
        var other = await db.Runs.AsNoTracking()
            .Where(r => r.HostKey == hostKey && r.Id != except && (r.State == RunState.Queued || r.State == RunState.Running))
            .Select(r => new { r.Id, r.State, r.RequestedBy, r.JobQueue }).FirstOrDefaultAsync();
        if (other is not null)
            throw new HostBusyException(hostKey, $"run {other.Id} is {other.State.ToString().ToLowerInvariant()} ({other.RequestedBy}, {(other.JobQueue == RunQueueNames.Panel ? "the panel" : other.JobQueue)})");
    }

    async Task<bool> HoldsTicketAsync(RunJobRequest job)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        return await db.Runs.AnyAsync(r => r.Id == job.RunId && r.JobTicket == job.Ticket);
    }

    async Task<string> KeyOfRunAsync(long runId)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.HostKey).SingleAsync();
    }

    async Task<HostLock?> WaitForHostAsync(string hostKey)
    {
        var until = DateTime.UtcNow + LockWait;
        while (true)
        {
            var held = HostLock.TryAcquire(options.DataDirectory, hostKey, options.Holder);
            if (held is not null || DateTime.UtcNow > until) return held;
            await Task.Delay(100);
        }
    }

    /// <summary>The host stayed locked by something that is no run of ours (an older release's process): the run fails, once.</summary>
    async Task<RunState?> FailUnclaimedAsync(RunJobRequest job, string why)
    {
        var error = UserMessage.Verbatim(why);
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var n = await db.Runs.Where(r => r.Id == job.RunId && r.JobTicket == job.Ticket)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.JobTicket, (string?)null).SetProperty(r => r.State, RunState.Failed)
                .SetProperty(r => r.EndedAt, DateTime.UtcNow).SetProperty(r => r.Error, error.Text).SetProperty(r => r.ErrorJson, error.ToJson()));
        if (n == 0) return null;
        db.RunEvents.Add(Event(job.RunId, RunState.Failed, error));
        await db.SaveChangesAsync();
        hub.NotifyRunChanged(job.RunId);
        return RunState.Failed;
    }

    PlanRequest RequestOf(RunRecord run) => plans.Read(
        new StoredRequest(run.Kind, JsonSerializer.Deserialize<Dictionary<string, string>>(run.InputsJson) ?? new(), secrets.Load(run.Id)));

    internal static UserMessage StoppedMessage(bool panel) => panel ? RunMessages.PanelStopped.Message() : RunMessages.ProcessStopped.Message();

    static string NewTicket() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    static RunEventRecord Event(long runId, RunState state, UserMessage message) =>
        new() { RunId = runId, State = state, At = DateTime.UtcNow, Message = message.Text, MessageJson = message.ToJson() };

    /// <summary>Whether a run's host lock was lost while it executed (<see cref="WatchHostLock"/>).</summary>
    sealed class LockWatch(PeriodicTimer timer) : IDisposable
    {
        public volatile bool Lost;
        public void Dispose() => timer.Dispose();
    }

    /// <summary>
    /// A node whose lock connection to PostgreSQL died (the database restarted, the network cut) no longer holds the
    /// host: another node may take the run over. It stops the run's stages at once, ending it Interrupted as a stopping
    /// panel does, rather than act on the host beside the node that took over.
    /// </summary>
    LockWatch WatchHostLock(HostLock hostLock, CancellationTokenSource cts)
    {
        var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        var watch = new LockWatch(timer);
        if (!hostLock.CanBeLost) return watch;
        _ = Task.Run(async () =>
        {
            try
            {
                while (await timer.WaitForNextTickAsync())
                {
                    if (await hostLock.IsHeldAsync()) continue;
                    watch.Lost = true;
                    await cts.CancelAsync();
                    return;
                }
            }
            catch (ObjectDisposedException) { }
        });
        return watch;
    }

    IDisposable WatchForCancel(long runId, CancellationTokenSource cts)
    {
        var timer = new PeriodicTimer(options.CancelPollInterval);
        _ = Task.Run(async () =>
        {
            try
            {
                while (await timer.WaitForNextTickAsync())
                {
                    await using var db = ControlPanelDb.Open(options.DataDirectory);
                    if (await db.Runs.AnyAsync(r => r.Id == runId && r.CancelRequested)) { cts.Cancel(); return; }
                }
            }
            catch (ObjectDisposedException) { }
        });
        return timer;
    }
}
