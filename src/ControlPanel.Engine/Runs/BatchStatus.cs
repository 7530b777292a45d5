using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Stages;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// One host of a batch as it stands: its latest run, null while waiting for a slot (the batch is executing) or when
/// it never started (it could not, or the batch was cancelled or stopped first).
/// </summary>
public sealed record BatchHostStatus(FleetTarget Target, RunRecord? Run, bool BatchExecuting)
{
    public string State => Run?.State.ToString() ?? (BatchExecuting ? "Waiting" : "NotStarted");
    /// <summary>What `rerun --batch ID --failed` retries: a run that did not succeed, or a host that never started.</summary>
    /// <summary>Not ended yet: running, queued, or waiting for a slot of the executing batch (what cancelling stops).</summary>
    public bool IsOpen => Run?.State is RunState.Running or RunState.Queued || (Run is null && BatchExecuting);
    public bool NeedsRerun => Run?.State is RunState.Failed or RunState.Cancelled or RunState.Interrupted || (Run is null && !BatchExecuting);
    public int StagesDone => Run?.Stages.Count(s => s.State.IsDone()) ?? 0;
    public int StageCount => Run?.Stages.Count ?? 0;
}

/// <summary>A batch with every host it was started for (what `runs --batch` and the panel's batch view show).</summary>
/// <param name="IsExecuting">A process executes the batch (holds its lock): hosts without a run are waiting for a slot.</param>
public sealed record BatchStatus(BatchRecord Batch, IReadOnlyList<BatchHostStatus> Hosts, bool IsExecuting)
{
    public bool IsOpen => IsExecuting || Hosts.Any(h => h.IsOpen);
    public int OpenCount => Hosts.Count(h => h.IsOpen);
    /// <summary>How many hosts `rerun --batch ID --failed` would retry.</summary>
    public int FailedCount => Hosts.Count(h => h.NeedsRerun);

    public static async Task<BatchStatus?> LoadAsync(string dataDirectory, long batchId, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        var batch = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null) return null;
        var runs = await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index))
            .Where(r => r.BatchId == batchId).OrderBy(r => r.Id).ToListAsync(ct);
        bool executing;
        using (var probe = HostLock.TryAcquire(dataDirectory, FleetRunner.LockKey(batchId), "status")) executing = probe is null;
        return new BatchStatus(batch, TargetsOf(batch).Select(t => new BatchHostStatus(t, runs.LastOrDefault(r => r.HostSpec == t.HostSpec), executing)).ToList(), executing);
    }

    /// <summary>The hosts the batch was started for, in order.</summary>
    public static IReadOnlyList<FleetTarget> TargetsOf(BatchRecord batch) =>
        JsonSerializer.Deserialize<List<FleetTarget>>(batch.TargetsJson) ?? [];

    public static async Task<IReadOnlyList<BatchRecord>> RecentAsync(string dataDirectory, int count, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Batches.AsNoTracking().OrderByDescending(b => b.Id).Take(count).ToListAsync(ct);
    }
}
