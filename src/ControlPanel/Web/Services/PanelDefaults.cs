using System.Globalization;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Settings;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Web.Services;

/// <summary>Defaults the install form starts from, and how long finished runs are kept; in the Settings table.</summary>
public sealed record InstallDefaults(string Profile, string DownloadMirror, int RetentionDays);

public sealed class PanelDefaults(PanelSettings settings)
{
    readonly SettingsStore store = new(settings.DataDirectory);

    const string ProfileKey = "install.profile";
    const string MirrorKey = "install.downloadMirror";

    static readonly MessageTemplate DaysRange = new("input.days-range", "must be a whole number of days from 1 to {max}");

    public async Task<InstallDefaults> GetAsync()
    {
        var all = await store.AllAsync();
        return new InstallDefaults(all.GetValueOrDefault(ProfileKey, "seed"), all.GetValueOrDefault(MirrorKey, ""),
            await RunRetention.DaysAsync(settings.DataDirectory));
    }

    /// <summary>Validates like the install does (InputException names the field) and stores.</summary>
    public async Task SaveAsync(string? profile, string? mirror, string? retentionDays)
    {
        var errors = new InputErrors();
        var p = errors.Check(() => Inputs.RequireOneOf("profile", profile, StackPlans.Profiles));
        var m = errors.Check(() => string.IsNullOrWhiteSpace(mirror) ? "" : Inputs.RequireHttpUrl("downloadMirror", mirror).ToString());
        var days = errors.Check(() =>
            int.TryParse(retentionDays?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= RunRetention.MaxDays
                ? n : throw new InputException("retentionDays", retentionDays, DaysRange.With(("max", RunRetention.MaxDays))));
        errors.ThrowIfAny();
        await store.SetAsync(new Dictionary<string, string>
        {
            [ProfileKey] = p!, [MirrorKey] = m!, [RunRetention.SettingKey] = days.ToString(CultureInfo.InvariantCulture),
        });
    }
}
