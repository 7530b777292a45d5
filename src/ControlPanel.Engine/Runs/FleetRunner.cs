using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>A host of a batch: its display name and the spec its run uses.</summary>
public sealed record FleetTarget(string Name, string HostSpec);

/// <summary>How one host of a batch ended: its run (null when it never started: it could not, or the batch was cancelled first) and why it failed.</summary>
public sealed record FleetHostResult(FleetTarget Target, long? RunId, RunState? State, string? Error)
{
    public bool Succeeded => State == RunState.Succeeded;
}

/// <summary>A batch executing in this process; Completion ends when every host has ended.</summary>
public sealed record FleetHandle(long BatchId, Task<IReadOnlyList<FleetHostResult>> Completion);

/// <summary>
/// Runs one plan on several hosts at once, at most <c>parallel</c> at a time. Each host gets its own run (own lock,
/// log, state and resume); a host that fails or cannot start does not stop the others. While a process executes a
/// batch it holds the batch's lock, so no other process starts its waiting hosts a second time.
/// </summary>
public sealed class FleetRunner(RunEngine engine)
{
    static readonly MessageTemplate BatchRunning = new("input.batch-running", "is still running ({holder}); wait for it to end or cancel it first");
    static readonly MessageTemplate NoFailedHosts = new("input.batch-no-failed", "has no failed hosts to re-run");
    static readonly MessageTemplate ParallelRange = new("input.parallel-range", "must be between 1 and {max}");

    public const int MaxParallel = 64;

    string Data => engine.Options.DataDirectory;

    /// <summary>Records the batch and starts its hosts. <paramref name="started"/> sees each run as it starts (progress printing).</summary>
    public async Task<FleetHandle> StartAsync(PlanRequest request, IReadOnlyList<FleetTarget> targets, int parallel,
        string? requestedBy = null, Action<FleetTarget, RunHandle>? started = null)
    {
        RequireParallel(parallel);
        if (targets.Count == 0) throw new InputException("--host", null, InputReasons.NamesNoHost.Message());
        FleetTargets.RequireDistinct(targets);
        await using var db = ControlPanelDb.Open(Data);
        var batch = new BatchRecord
        {
            Kind = request.Kind, Parallel = parallel, RequestedBy = requestedBy ?? engine.Options.Holder,
            TargetsJson = JsonSerializer.Serialize(targets), Catalog = engine.Plans.Name,
            InputsJson = JsonSerializer.Serialize(request.Inputs), CreatedAt = DateTime.UtcNow,
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        new RunSecrets(Data).SaveBatch(batch.Id, request.Secrets);
        var batchLock = HostLock.TryAcquire(Data, LockKey(batch.Id), engine.Options.Holder)
                        ?? throw new InvalidOperationException($"the lock of the new batch {batch.Id} is held by {HostLock.Describe(Data, LockKey(batch.Id))}");
        var completion = ForEach(batch.Id, batchLock, targets, parallel, started,
            t => engine.StartAsync(request, t.HostSpec, requestedBy, batch.Id, t.Name));
        return new FleetHandle(batch.Id, completion);
    }

    /// <summary>
    /// Retries the hosts of a finished batch that did not succeed: runs that failed, were cancelled or interrupted
    /// resume from their stage; hosts that never started (they could not, or the batch was cancelled or stopped
    /// first) start now, with the batch's request. Hosts that succeeded are left alone.
    /// </summary>
    public async Task<FleetHandle> RerunFailedAsync(long batchId, int parallel, string? requestedBy = null, Action<FleetTarget, RunHandle>? started = null)
    {
        RequireParallel(parallel);
        var status = await BatchStatus.LoadAsync(Data, batchId)
                     ?? throw new InputException("--batch", batchId.ToString(), InputReasons.NotABatch.Message());
        var batch = status.Batch;
        engine.RequirePlans("--batch", batchId, batch.Catalog);
        var batchLock = HostLock.TryAcquire(Data, LockKey(batchId), engine.Options.Holder);
        if (status.IsExecuting || batchLock is null)
        {
            batchLock?.Dispose();
            throw new InputException("--batch", batchId.ToString(), BatchRunning.With(("holder", HostLock.Describe(Data, LockKey(batchId)))));
        }
        try
        {
            var retry = status.Hosts.Where(h => h.NeedsRerun).ToList();
            if (retry.Count == 0) throw new InputException("--batch", batchId.ToString(), NoFailedHosts.Message());
            await using (var db = ControlPanelDb.Open(Data))
                await db.Batches.Where(b => b.Id == batchId).ExecuteUpdateAsync(u => u.SetProperty(b => b.CancelRequested, false));
            var request = batch.InputsJson is null ? null : new PlanRequest(batch.Kind,
                JsonSerializer.Deserialize<Dictionary<string, string>>(batch.InputsJson) ?? new(), new RunSecrets(Data).LoadBatch(batchId));
            var completion = ForEach(batchId, batchLock, retry.Select(h => h.Target).ToList(), parallel, started, target =>
            {
                var run = retry.Single(h => h.Target == target).Run;
                if (run is not null) return engine.RerunAsync(run.Id, RerunMode.Resume, null, requestedBy);
                if (request is null) throw new InvalidOperationException("never started, and this batch is older than the record of its inputs: start the plan on it again");
                return engine.StartAsync(request, target.HostSpec, requestedBy, batchId, target.Name);
            });
            return new FleetHandle(batchId, completion);
        }
        catch
        {
            batchLock.Dispose();
            throw;
        }
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

    /// <summary>The key of the lock a process holds while it executes a batch (the same flock as a host's, under another key).</summary>
    internal static string LockKey(long batchId) => $"batch:{batchId}";

    async Task<IReadOnlyList<FleetHostResult>> ForEach(long batchId, HostLock batchLock, IReadOnlyList<FleetTarget> targets, int parallel,
        Action<FleetTarget, RunHandle>? started, Func<FleetTarget, Task<RunHandle>> start)
    {
        using var held = batchLock;
        using var gate = new SemaphoreSlim(parallel);
        var hosts = targets.Select(async target =>
        {
            await gate.WaitAsync();
            try
            {
                if (await CancelRequested(batchId)) return new FleetHostResult(target, null, null, "the batch was cancelled before this host started");
                RunHandle handle;
                // Whatever keeps this host from starting (busy, unreachable key file, bad spec) is its result, not the batch's end.
                try { handle = await start(target); }
                catch (Exception e) { return new FleetHostResult(target, null, null, e.Message); }
                started?.Invoke(target, handle);
                var state = await handle.Completion;
                return new FleetHostResult(target, handle.RunId, state, state == RunState.Succeeded ? null : await ErrorOf(handle.RunId));
            }
            finally { gate.Release(); }
        }).ToList();
        return await Task.WhenAll(hosts);
    }

    async Task<bool> CancelRequested(long batchId)
    {
        await using var db = ControlPanelDb.Open(Data);
        return await db.Batches.AnyAsync(b => b.Id == batchId && b.CancelRequested);
    }

    async Task<string?> ErrorOf(long runId)
    {
        await using var db = ControlPanelDb.Open(Data);
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.Error).SingleAsync();
    }

    /// <summary>The plans a stored batch was started with, for a face that builds its engine to re-run it.</summary>
    public static async Task<string> CatalogOfBatchAsync(string dataDirectory, long batchId)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Batches.Where(b => b.Id == batchId).Select(b => b.Catalog).SingleOrDefaultAsync()
               ?? throw new InputException("--batch", batchId.ToString(), InputReasons.NotABatch.Message());
    }

    /// <summary>Also checked by the faces before a dry run or a confirmation, which never reach <see cref="StartAsync"/>.</summary>
    public static void RequireParallel(int parallel)
    {
        if (parallel is < 1 or > MaxParallel)
            throw new InputException("--parallel", parallel.ToString(), ParallelRange.With(("max", MaxParallel)));
    }
}
