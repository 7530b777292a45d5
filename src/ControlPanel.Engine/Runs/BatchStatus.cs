using System.Text.Json;
using ControlPanel.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>One host of a batch as it stands: its latest run (null while waiting for a slot, or if it never started).</summary>
public sealed record BatchHostStatus(FleetTarget Target, RunRecord? Run)
{
    public string State => Run?.State.ToString() ?? "Waiting";
    public int StagesDone => Run?.Stages.Count(s => s.State.IsDone()) ?? 0;
    public int StageCount => Run?.Stages.Count ?? 0;
}

/// <summary>A batch with every host it was started for (what `runs --batch` and the panel's batch view show).</summary>
public sealed record BatchStatus(BatchRecord Batch, IReadOnlyList<BatchHostStatus> Hosts)
{
    public bool IsOpen => Hosts.Any(h => h.Run?.State is RunState.Running or RunState.Queued);
    public int FailedCount => Hosts.Count(h => h.Run?.State is RunState.Failed or RunState.Cancelled or RunState.Interrupted);

    public static async Task<BatchStatus?> LoadAsync(string dataDirectory, long batchId, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        var batch = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null) return null;
        var runs = await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index))
            .Where(r => r.BatchId == batchId).OrderBy(r => r.Id).ToListAsync(ct);
        return new BatchStatus(batch, TargetsOf(batch).Select(t => new BatchHostStatus(t, runs.LastOrDefault(r => r.HostSpec == t.HostSpec))).ToList());
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
