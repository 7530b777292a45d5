using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Settings;
using ControlPanel.Engine.Stages;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Jobs;

/// <summary>
/// Old runs go, with their logs and secrets, once they ended longer ago than the retention (Settings key
/// <see cref="SettingKey"/>, default <see cref="DefaultDays"/> days); so do batches left without runs. Open runs are
/// never touched, however old.
/// </summary>
public sealed class RunRetention(RunEngine engine, TimeProvider? time = null)
{
    public const string SettingKey = "runs.retentionDays";
    public const int DefaultDays = 90;
    public const int MaxDays = 3650;

    /// <summary>The retention in days as stored, or the default.</summary>
    public static async Task<int> DaysAsync(string dataDirectory) =>
        int.TryParse(await new SettingsStore(dataDirectory).GetAsync(SettingKey), out var days) && days is >= 1 and <= MaxDays ? days : DefaultDays;

    /// <summary>Deletes what is past the retention; returns the ids of the runs deleted.</summary>
    public async Task<IReadOnlyList<long>> ApplyAsync()
    {
        var data = engine.Options.DataDirectory;
        var cutoff = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime.AddDays(-await DaysAsync(data));
        List<long> old;
        await using (var db = ControlPanelDb.Open(data))
            old = await db.Runs.Where(r => r.EndedAt != null && r.EndedAt < cutoff && r.State != RunState.Running && r.State != RunState.Queued)
                .Select(r => r.Id).ToListAsync();
        foreach (var id in old) await engine.DeleteAsync(id);
        await using (var db = ControlPanelDb.Open(data))
            await db.Batches.Where(b => b.CreatedAt < cutoff && !db.Runs.Any(r => r.BatchId == b.Id)).ExecuteDeleteAsync();
        return old;
    }
}
