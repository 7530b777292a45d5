using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Web.Services;

/// <summary>A run as the pages show it: the row, its stages and its state history, read from the database.</summary>
public sealed record RunDetail(RunRecord Run, IReadOnlyList<StageRunRecord> Stages, IReadOnlyList<RunEventRecord> Events)
{
    public IReadOnlyDictionary<string, string> Inputs { get; } =
        JsonSerializer.Deserialize<Dictionary<string, string>>(Run.InputsJson) ?? new();
}

/// <summary>Reads runs for the pages. The database is the truth, whichever process executes a run.</summary>
public sealed class RunQueries(PanelSettings settings)
{
    public async Task<RunDetail?> GetAsync(long runId)
    {
        await using var db = ControlPanelDb.Open(settings.DataDirectory);
        var run = await db.Runs.AsNoTracking().Include(r => r.Stages).SingleOrDefaultAsync(r => r.Id == runId);
        if (run is null) return null;
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).ToListAsync();
        return new RunDetail(run, run.Stages.OrderBy(s => s.Index).ToList(), events);
    }

    public async Task<List<RunRecord>> LatestAsync(int count)
    {
        await using var db = ControlPanelDb.Open(settings.DataDirectory);
        return await db.Runs.AsNoTracking().Include(r => r.Stages).OrderByDescending(r => r.Id).Take(count).ToListAsync();
    }

    /// <summary>The run holding the host now, if any (Running or Queued).</summary>
    public async Task<RunRecord?> ActiveAsync()
    {
        await using var db = ControlPanelDb.Open(settings.DataDirectory);
        return await db.Runs.AsNoTracking().OrderByDescending(r => r.Id)
            .FirstOrDefaultAsync(r => r.State == RunState.Running || r.State == RunState.Queued);
    }

    /// <summary>The latest install or uninstall run: what the dashboard reports as the install state.</summary>
    public async Task<RunDetail?> LatestOfKindsAsync(params string[] kinds)
    {
        await using var db = ControlPanelDb.Open(settings.DataDirectory);
        var id = await db.Runs.Where(r => kinds.Contains(r.Kind)).OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync();
        return id is null ? null : await GetAsync(id.Value);
    }

    /// <summary>The domain of the latest successful install (what an uninstall asks to type to confirm).</summary>
    public async Task<string?> InstalledDomainAsync()
    {
        await using var db = ControlPanelDb.Open(settings.DataDirectory);
        var json = await db.Runs.Where(r => r.Kind == InstallRequest.Kind && r.State == RunState.Succeeded)
            .OrderByDescending(r => r.Id).Select(r => r.InputsJson).FirstOrDefaultAsync();
        return json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json)?.GetValueOrDefault("domain");
    }
}
