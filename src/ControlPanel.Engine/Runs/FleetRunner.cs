using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>A host of a batch: its display name and the spec its run uses.</summary>
public sealed record FleetTarget(string Name, string HostSpec);

/// <summary>How one host of a batch ended: its run (null when the run could not even start) and why it failed.</summary>
public sealed record FleetHostResult(FleetTarget Target, long? RunId, RunState? State, string? Error)
{
    public bool Succeeded => State == RunState.Succeeded;
}

/// <summary>A batch executing in this process; Completion ends when every host has ended.</summary>
public sealed record FleetHandle(long BatchId, Task<IReadOnlyList<FleetHostResult>> Completion);

/// <summary>
/// Runs one plan on several hosts at once, at most <c>parallel</c> at a time. Each host gets its own run (own lock,
/// log, state and resume); a host that fails or cannot start does not stop the others.
/// </summary>
public sealed class FleetRunner(RunEngine engine)
{
    public const int MaxParallel = 64;

    /// <summary>Records the batch and starts its hosts. <paramref name="started"/> sees each run as it starts (progress printing).</summary>
    public async Task<FleetHandle> StartAsync(PlanRequest request, IReadOnlyList<FleetTarget> targets, int parallel,
        string? requestedBy = null, Action<FleetTarget, RunHandle>? started = null)
    {
        RequireParallel(parallel);
        if (targets.Count == 0) throw new InputException("--host", null, "names no host");
        FleetTargets.RequireDistinct(targets);
        await using var db = ControlPanelDb.Open(engine.Options.DataDirectory);
        var batch = new BatchRecord
        {
            Kind = request.Kind, Parallel = parallel, RequestedBy = requestedBy ?? engine.Options.Holder,
            TargetsJson = JsonSerializer.Serialize(targets), CreatedAt = DateTime.UtcNow,
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        var completion = ForEach(targets, parallel, started,
            t => engine.StartAsync(request, t.HostSpec, requestedBy, batch.Id, t.Name));
        return new FleetHandle(batch.Id, completion);
    }

    /// <summary>Resumes the runs of a batch that failed, were cancelled or interrupted; the hosts that succeeded are left alone.</summary>
    public async Task<FleetHandle> RerunFailedAsync(long batchId, int parallel, string? requestedBy = null, Action<FleetTarget, RunHandle>? started = null)
    {
        RequireParallel(parallel);
        await using var db = ControlPanelDb.Open(engine.Options.DataDirectory);
        if (!await db.Batches.AnyAsync(b => b.Id == batchId))
            throw new InputException("--batch", batchId.ToString(), "is not a batch (see `controlpanel runs`)");
        var failed = await db.Runs.AsNoTracking()
            .Where(r => r.BatchId == batchId && (r.State == RunState.Failed || r.State == RunState.Cancelled || r.State == RunState.Interrupted))
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.HostName, r.HostSpec }).ToListAsync();
        if (failed.Count == 0) throw new InputException("--batch", batchId.ToString(), "has no failed hosts to re-run");
        var runs = failed.ToDictionary(r => new FleetTarget(r.HostName ?? r.HostSpec, r.HostSpec), r => r.Id);
        var completion = ForEach(runs.Keys.ToList(), parallel, started,
            t => engine.RerunAsync(runs[t], RerunMode.Resume, null, requestedBy));
        return new FleetHandle(batchId, completion);
    }

    async Task<IReadOnlyList<FleetHostResult>> ForEach(IReadOnlyList<FleetTarget> targets, int parallel,
        Action<FleetTarget, RunHandle>? started, Func<FleetTarget, Task<RunHandle>> start)
    {
        using var gate = new SemaphoreSlim(parallel);
        var hosts = targets.Select(async target =>
        {
            await gate.WaitAsync();
            try
            {
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

    async Task<string?> ErrorOf(long runId)
    {
        await using var db = ControlPanelDb.Open(engine.Options.DataDirectory);
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.Error).SingleAsync();
    }

    /// <summary>Also checked by the faces before a dry run or a confirmation, which never reach <see cref="StartAsync"/>.</summary>
    public static void RequireParallel(int parallel)
    {
        if (parallel is < 1 or > MaxParallel)
            throw new InputException("--parallel", parallel.ToString(), $"must be between 1 and {MaxParallel}");
    }
}
