using ControlPanel.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Settings;

/// <summary>The panel's settings as stored (key, value); each face validates what it writes.</summary>
public sealed class SettingsStore(string dataDirectory)
{
    public async Task<IReadOnlyDictionary<string, string>> AllAsync()
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value);
    }

    public async Task<string?> GetAsync(string key)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Settings.Where(s => s.Key == key).Select(s => s.Value).SingleOrDefaultAsync();
    }

    /// <summary>Writes the values together: all of them or none.</summary>
    public async Task SetAsync(IReadOnlyDictionary<string, string> values)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        foreach (var (key, value) in values)
        {
            var row = await db.Settings.FindAsync(key);
            if (row is null) db.Settings.Add(new SettingRecord { Key = key, Value = value });
            else row.Value = value;
        }
        await db.SaveChangesAsync();
    }

    /// <summary>The value kept under the key, made the first time by <paramref name="create"/>.</summary>
    public async Task<string> GetOrAddAsync(string key, Func<string> create)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        await using var tx = await db.Database.BeginTransactionAsync();
        if (await db.Settings.FindAsync(key) is { } kept) return kept.Value;
        var value = create();
        db.Settings.Add(new SettingRecord { Key = key, Value = value });
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return value;
    }
}
