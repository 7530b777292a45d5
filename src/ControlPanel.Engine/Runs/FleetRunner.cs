using System.Collections.Concurrent;
using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>How one host of a batch ended: its run (null when it never started: it could not, or the batch was cancelled first) and why it failed.</summary>
public sealed record FleetHostResult(FleetTarget Target, long? RunId, RunState? State, string? Error)
{
    public bool Succeeded => State == RunState.Succeeded;
}

/// <summary>A batch executing in this process; Completion ends when every host has ended.</summary>
public sealed record FleetHandle(long BatchId, Task<IReadOnlyList<FleetHostResult>> Completion);

/// <summary>
/// Runs one plan on several hosts at once, at most <c>parallel</c> at a time. Each host gets its own run (own lock,
/// log, state and resume) and its own job; a host's job starts the next waiting host when it ends, so the batch
/// needs no worker of its own. A host that fails or cannot start does not stop the others. While a process executes
/// a batch it holds the batch's lock, so no other process starts its waiting hosts a second time.
/// </summary>
public sealed class FleetRunner(RunEngine engine)
{
    static readonly MessageTemplate BatchRunning = new("input.batch-running", "is still running ({holder}); wait for it to end or cancel it first");
    static readonly MessageTemplate NoFailedHosts = new("input.batch-no-failed", "has no failed hosts to re-run");

    /// <summary>Per batch executing here: who wants to hear of each host that starts, why hosts could not start, and launches under way.</summary>
    readonly ConcurrentDictionary<long, Launches> launches = new();

    string Data => engine.Options.DataDirectory;

    sealed class Launches(IReadOnlyList<int> round, Action<FleetTarget, RunHandle>? started)
    {
        /// <summary>The hosts (indexes into the batch's targets) this start or re-run is for.</summary>
        public IReadOnlyList<int> Round => round;
        public Action<FleetTarget, RunHandle>? Started => started;
        public ConcurrentDictionary<FleetTarget, string> Refused { get; } = new();
        public int InFlight;
    }

    /// <summary>Records the batch and starts its first hosts. <paramref name="started"/> sees each run as it starts (progress printing).</summary>
    public async Task<FleetHandle> StartAsync(PlanRequest request, IReadOnlyList<FleetTarget> targets, int parallel,
        string? requestedBy = null, Action<FleetTarget, RunHandle>? started = null)
    {
        var batchId = await RecordAsync(request, targets, parallel, requestedBy);
        var batchLock = HostLock.TryAcquire(Data, LockKey(batchId), engine.Options.Holder)
                        ?? throw new InvalidOperationException($"the lock of the new batch {batchId} is held by {HostLock.Describe(Data, LockKey(batchId))}");
        return await LaunchAsync(batchId, batchLock, parallel, Enumerable.Range(0, targets.Count).ToList(), started);
    }

    /// <summary>
    /// Records the batch and queues a job for the process that serves <paramref name="queue"/> (the panel, any of its
    /// nodes), which takes it over as its executor (<see cref="TakeOverAsync"/>); returns the batch's id at once.
    /// </summary>
    public async Task<long> HandOverAsync(PlanRequest request, IReadOnlyList<FleetTarget> targets, int parallel, string queue, string? requestedBy = null)
    {
        var batchId = await RecordAsync(request, targets, parallel, requestedBy);
        engine.Queue.EnqueueBatch(batchId, queue);
        return batchId;
    }

    async Task<long> RecordAsync(PlanRequest request, IReadOnlyList<FleetTarget> targets, int parallel, string? requestedBy)
    {
        FleetTargets.RequireParallel(parallel);
        if (targets.Count == 0) throw new InputException("host", null, InputReasons.NamesNoHost.Message());
        FleetTargets.RequireDistinct(targets);
        var stored = request.Store();
        await using var db = ControlPanelDb.Open(Data);
        var batch = new BatchRecord
        {
            Kind = request.PlanKind, Parallel = parallel, RequestedBy = requestedBy ?? engine.Options.Holder,
            TargetsJson = JsonSerializer.Serialize(targets), Catalog = engine.Plans.Name,
            InputsJson = JsonSerializer.Serialize(stored.Inputs), CreatedAt = DateTime.UtcNow,
            PendingJson = JsonSerializer.Serialize(Enumerable.Range(0, targets.Count).ToList()),
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        new RunSecrets(Data).SaveBatch(batch.Id, stored.Secrets);
        return batch.Id;
    }

    /// <summary>
    /// Retries the hosts of a finished batch that did not succeed: runs that failed, were cancelled or interrupted
    /// resume from their stage; hosts that never started (they could not, or the batch was cancelled or stopped
    /// first) start now, with the batch's request. Hosts that succeeded are left alone.
    /// </summary>
    public async Task<FleetHandle> RerunFailedAsync(long batchId, int parallel, string? requestedBy = null, Action<FleetTarget, RunHandle>? started = null)
    {
        FleetTargets.RequireParallel(parallel);
        var status = await BatchStatus.LoadAsync(Data, batchId)
                     ?? throw new InputException("batch", batchId.ToString(), InputReasons.NotABatch.Message());
        engine.RequirePlans("batch", batchId, status.Batch.Catalog);
        var batchLock = HostLock.TryAcquire(Data, LockKey(batchId), engine.Options.Holder);
        List<int> retry;
        if (status.IsExecuting || batchLock is null)
        {
            batchLock?.Dispose();
            throw new InputException("batch", batchId.ToString(), BatchRunning.With(("holder", HostLock.Describe(Data, LockKey(batchId)))));
        }
        try
        {
            retry = status.Hosts.Select((h, i) => (h, i)).Where(x => x.h.NeedsRerun).Select(x => x.i).ToList();
            if (retry.Count == 0) throw new InputException("batch", batchId.ToString(), NoFailedHosts.Message());
            if (status.Batch.InputsJson is null && status.Hosts.Any(h => h.NeedsRerun && h.Run is null))
                throw new InvalidOperationException("hosts of this batch never started, and it is older than the record of its inputs: start the plan on them again");
            await using (var db = ControlPanelDb.Open(Data))
                await db.Batches.Where(b => b.Id == batchId).ExecuteUpdateAsync(u => u
                    .SetProperty(b => b.CancelRequested, false)
                    .SetProperty(b => b.PendingJson, JsonSerializer.Serialize(retry))
                    .SetProperty(b => b.RequestedBy, requestedBy ?? engine.Options.Holder));
        }
        catch
        {
            batchLock.Dispose();
            throw;
        }
        return await LaunchAsync(batchId, batchLock, parallel, retry, started);
    }

    /// <summary>Stops a batch, whichever process executes it: its runs are cancelled and its hosts still waiting never start.</summary>
    public async Task<bool> CancelAsync(long batchId)
    {
        await using var db = ControlPanelDb.Open(Data);
        if (await db.Batches.Where(b => b.Id == batchId).ExecuteUpdateAsync(u => u.SetProperty(b => b.CancelRequested, true)) == 0) return false;
        var open = await db.Runs.Where(r => r.BatchId == batchId && (r.State == RunState.Running || r.State == RunState.Queued)).Select(r => r.Id).ToListAsync();
        foreach (var id in open) await engine.CancelAsync(id);
        return true;
    }

    /// <summary>
    /// Starts the batch's next waiting host (its first run, or a resume of its run on a re-run), unless the batch was
    /// cancelled or none waits. A host that cannot start (busy, a bad spec) is passed over for the next one. Called
    /// for each free slot when the batch starts, and by each host's job when it ends.
    /// </summary>
    public async Task LaunchNextAsync(long batchId)
    {
        var here = launches.GetValueOrDefault(batchId);
        if (here is not null) Interlocked.Increment(ref here.InFlight);
        try
        {
            while (await PeekNextAsync(batchId) is { } next)
            {
                // The host leaves the waiting list in the transaction that records its run: a process killed in between
                // leaves it waiting, never lost; two processes taking the same host, one gets it.
                Func<ControlPanelDb, Task<bool>> claim = db => TakeOffAsync(db, batchId, next.Read, next.Rest);
                try
                {
                    var handle = next.Run is not null
                        ? await engine.RerunAsync(next.Run.Id, RerunMode.Resume, null, next.Batch.RequestedBy, claim: claim)
                        : await engine.StartAsync(RequestOf(next.Batch), next.Target.HostSpec, next.Batch.RequestedBy, batchId, next.Target.Name, claim: claim);
                    here?.Started?.Invoke(next.Target, handle);
                    return;
                }
                catch (ClaimLostException) { }
                // Whatever keeps this host from starting (busy, unreachable key file, bad spec) is its result, not the batch's
                // end: it is passed over for the next one, unless another process changed the list meanwhile (then: look again).
                catch (Exception e)
                {
                    await using var db = ControlPanelDb.Open(Data);
                    if (await TakeOffAsync(db, batchId, next.Read, next.Rest)) here?.Refused.TryAdd(next.Target, e.Message);
                }
            }
        }
        finally
        {
            if (here is not null) Interlocked.Decrement(ref here.InFlight);
            engine.Hub.NotifyBatchChanged(batchId);
        }
    }

    /// <summary>The key of the lock a process holds while it executes a batch (the same flock as a host's, under another key).</summary>
    internal static string LockKey(long batchId) => $"batch:{batchId}";

    async Task<FleetHandle> LaunchAsync(long batchId, HostLock batchLock, int parallel, IReadOnlyList<int> round, Action<FleetTarget, RunHandle>? started)
    {
        launches[batchId] = new Launches(round, started);
        try
        {
            for (var i = 0; i < parallel; i++) await LaunchNextAsync(batchId);
        }
        catch
        {
            launches.TryRemove(batchId, out _);
            batchLock.Dispose();
            throw;
        }
        return new FleetHandle(batchId, WatchAsync(batchId, batchLock));
    }

    /// <summary>Holds the batch's lock until no host waits or runs, then tells how each host ended.</summary>
    async Task<IReadOnlyList<FleetHostResult>> WatchAsync(long batchId, HostLock batchLock)
    {
        var changed = new SemaphoreSlim(0);
        void OnChange(long id) => changed.Release();
        engine.Hub.RunChanged += OnChange;
        engine.Hub.BatchChanged += OnChange;
        try
        {
            while (true)
            {
                await using (var db = ControlPanelDb.Open(Data))
                {
                    var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == batchId);
                    var open = await db.Runs.AnyAsync(r => r.BatchId == batchId && (r.State == RunState.Running || r.State == RunState.Queued));
                    var waiting = !batch.CancelRequested && PendingOf(batch).Count > 0;
                    if (!open && !waiting && launches[batchId].InFlight == 0) break;
                }
                await changed.WaitAsync(TimeSpan.FromSeconds(1));
            }
            var status = (await BatchStatus.LoadAsync(Data, batchId))!;
            var refused = launches[batchId].Refused;
            return launches[batchId].Round.Select(i => status.Hosts[i]).Select(h => new FleetHostResult(h.Target, h.Run?.Id, h.Run?.State,
                h.Run is { State: RunState.Succeeded } ? null
                : h.Run is not null ? h.Run.Error
                : refused.GetValueOrDefault(h.Target) ?? "the batch was cancelled before this host started")).ToList();
        }
        finally
        {
            engine.Hub.RunChanged -= OnChange;
            engine.Hub.BatchChanged -= OnChange;
            launches.TryRemove(batchId, out _);
            batchLock.Dispose();
        }
    }

    /// <summary>The batch's first waiting host (and its latest run, on a re-run), with the list as read and without that host.</summary>
    sealed record NextHost(BatchRecord Batch, FleetTarget Target, RunRecord? Run, string Read, string Rest);

    async Task<NextHost?> PeekNextAsync(long batchId)
    {
        await using var db = ControlPanelDb.Open(Data);
        var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == batchId);
        var pending = PendingOf(batch);
        if (batch.CancelRequested || pending.Count == 0) return null;
        var target = BatchStatus.TargetsOf(batch)[pending[0]];
        var run = await db.Runs.AsNoTracking().Where(r => r.BatchId == batchId && r.HostSpec == target.HostSpec)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync();
        return new NextHost(batch, target, run, batch.PendingJson, JsonSerializer.Serialize(pending.Skip(1)));
    }

    /// <summary>Takes the host off the waiting list if the list is still the one read (on PostgreSQL two nodes may read it together).</summary>
    static async Task<bool> TakeOffAsync(ControlPanelDb db, long batchId, string read, string rest) =>
        await db.Batches.Where(b => b.Id == batchId && b.PendingJson == read).ExecuteUpdateAsync(u => u.SetProperty(b => b.PendingJson, rest)) == 1;

    /// <summary>
    /// Batches whose executing process is gone (a panel node killed: their lock free) while hosts still wait: this
    /// process takes each over (<see cref="TakeOverAsync"/>). The runs the dead node executed are resumed on their own
    /// (RunEngine's <c>ResumeStoppedPanelRunsAsync</c>). Returns the batches taken over.
    /// </summary>
    public async Task<IReadOnlyList<long>> AdoptOrphanedAsync()
    {
        List<long> waiting;
        await using (var db = ControlPanelDb.Open(Data))
            waiting = await db.Batches.Where(b => !b.CancelRequested && b.PendingJson != "[]").Select(b => b.Id).ToListAsync();
        var adopted = new List<long>();
        foreach (var batchId in waiting)
            if (await TakeOverAsync(batchId)) adopted.Add(batchId);
        return adopted;
    }

    /// <summary>
    /// Becomes the batch's executor if it has none (its lock free: handed over by a CLI, or its executor died) and hosts
    /// still wait: takes the batch's lock, starts hosts in the slots its runs leave free, and holds the lock until the
    /// batch ends, as the process that started it would have. False when another process executes it, nothing waits,
    /// or its plans are not this process's.
    /// </summary>
    public async Task<bool> TakeOverAsync(long batchId)
    {
        BatchRecord? batch;
        await using (var db = ControlPanelDb.Open(Data))
            batch = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId);
        if (batch is null || batch.CancelRequested || engine.Plans.Name != batch.Catalog || launches.ContainsKey(batchId)) return false;
        if (HostLock.TryAcquire(Data, LockKey(batchId), engine.Options.Holder) is not { } batchLock) return false;
        int open;
        await using (var db = ControlPanelDb.Open(Data))
        {
            // Read again under the lock: the executor it replaces may have taken hosts off the list until its end.
            batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == batchId);
            open = await db.Runs.CountAsync(r => r.BatchId == batchId && (r.State == RunState.Running || r.State == RunState.Queued));
        }
        var pending = PendingOf(batch);
        if (pending.Count == 0)
        {
            batchLock.Dispose();
            return false;
        }
        // The hosts it waits for are this round's: a re-run's round was those; a first round's, every host not started.
        var handle = await LaunchAsync(batchId, batchLock, Math.Max(0, batch.Parallel - open), pending, started: null);
        // Nobody here waits for its end; a failure to watch it (the database away) only lets the next look adopt it again.
        _ = handle.Completion.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        return true;
    }

    static List<int> PendingOf(BatchRecord batch) => JsonSerializer.Deserialize<List<int>>(batch.PendingJson) ?? [];

    PlanRequest RequestOf(BatchRecord batch) => engine.Plans.Read(new StoredRequest(batch.Kind,
        JsonSerializer.Deserialize<Dictionary<string, string>>(batch.InputsJson ?? "{}") ?? new(), new RunSecrets(Data).LoadBatch(batch.Id)));

    /// <summary>The plans a stored batch was started with, for a face that builds its engine to re-run it.</summary>
    public static async Task<string> CatalogOfBatchAsync(string dataDirectory, long batchId)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Batches.Where(b => b.Id == batchId).Select(b => b.Catalog).SingleOrDefaultAsync()
               ?? throw new InputException("batch", batchId.ToString(), InputReasons.NotABatch.Message());
    }
}
