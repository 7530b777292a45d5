using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Stages;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>A run as the faces show it: the row, its stages in order and its state history.</summary>
public sealed record RunDetail(RunRecord Run, IReadOnlyList<StageRunRecord> Stages, IReadOnlyList<RunEventRecord> Events)
{
    /// <summary>The plan's inputs as stored with the run (never its secrets).</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; } =
        JsonSerializer.Deserialize<Dictionary<string, string>>(Run.InputsJson) ?? new();
}

/// <summary>The runs as recorded, for the CLI and the panel: the database is the truth, whichever process executes a run.</summary>
public class RunQueries(string dataDirectory)
{
    /// <summary>Virtual so that a test can count how often a face reads a run (it reads once; the engine's news does the rest).</summary>
    public virtual async Task<RunDetail?> GetAsync(long runId, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        var run = await db.Runs.AsNoTracking().Include(r => r.Stages).SingleOrDefaultAsync(r => r.Id == runId, ct);
        if (run is null) return null;
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).ToListAsync(ct);
        return new RunDetail(run, run.Stages.OrderBy(s => s.Index).ToList(), events);
    }

    /// <summary>The run with its stages (no history), null when there is no such run.</summary>
    public async Task<RunRecord?> FindAsync(long runId, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index)).SingleOrDefaultAsync(r => r.Id == runId, ct);
    }

    /// <summary>Runs with their stages, newest first; all of them without a count.</summary>
    public Task<List<RunRecord>> LatestAsync(int? count = null, CancellationToken ct = default) => RunRows.LatestAsync(dataDirectory, count, ct);

    /// <summary>The wall and attempt times of these runs, from their run-level history (one query).</summary>
    public async Task<IReadOnlyDictionary<long, RunTimes>> TimesAsync(IReadOnlyCollection<RunRecord> runs, CancellationToken ct = default)
    {
        var events = runs.Count == 0 ? [] : await RunRows.RunEventsAsync(dataDirectory, runs.Min(r => r.Id), runs.Max(r => r.Id), ct);
        var now = DateTime.UtcNow;
        var byRun = events.ToLookup(e => e.RunId);
        return runs.ToDictionary(r => r.Id, r => RunTimes.Of(r, byRun[r.Id], now));
    }

    /// <summary>The newest run still queued or running, if any.</summary>
    public async Task<RunRecord?> ActiveAsync(CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Runs.AsNoTracking().OrderByDescending(r => r.Id)
            .FirstOrDefaultAsync(r => r.State == RunState.Running || r.State == RunState.Queued, ct);
    }

    /// <summary>The latest run of one of the kinds (the dashboard's install state: install or uninstall).</summary>
    public async Task<RunDetail?> LatestOfKindsAsync(params string[] kinds)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        var id = await db.Runs.Where(r => kinds.Contains(r.Kind)).OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync();
        return id is null ? null : await GetAsync(id.Value);
    }

    /// <summary>An input of the latest successful run of a kind (the installed domain, what an uninstall asks to type).</summary>
    public async Task<string?> LatestSucceededInputAsync(string kind, string input)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        var json = await db.Runs.Where(r => r.Kind == kind && r.State == RunState.Succeeded)
            .OrderByDescending(r => r.Id).Select(r => r.InputsJson).FirstOrDefaultAsync();
        return json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json)?.GetValueOrDefault(input);
    }
}
