using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostOps;

/// <summary>systemctl, as the stages use it.</summary>
public static class Systemd
{
    public static async Task<bool> IsActiveAsync(StageContext context, string unit) =>
        (await context.ProbeAsync("systemctl", "is-active", "--quiet", unit)).ExitCode == 0;

    /// <summary>Whether systemd knows the unit at all (a file for it exists somewhere it looks).</summary>
    public static async Task<bool> IsKnownAsync(StageContext context, string unit) =>
        (await context.ProbeAsync("systemctl", "cat", "--", unit)).ExitCode == 0;

    /// <summary>What systemd says of a unit: whether it knows it, runs it, starts it at boot.</summary>
    public sealed record UnitState(string Unit, bool Known, bool Active, bool Enabled)
    {
        /// <summary>What an uninstall must still stop or disable.</summary>
        public bool ActiveOrEnabled => Known && (Active || Enabled);
    }

    /// <summary>`systemctl is-enabled` answers yes for these (its man page); no for disabled, masked, linked, bad.</summary>
    static readonly HashSet<string> EnabledStates = ["enabled", "enabled-runtime", "alias", "static", "indirect", "generated", "transient"];

    /// <summary>
    /// The states of several units in one ask (`systemctl show`: one round trip over SSH where `cat`, `is-active` and
    /// `is-enabled` per unit took up to three each): Active as `is-active` says it, Enabled as `is-enabled`, Known when
    /// systemd found a unit file.
    /// </summary>
    public static async Task<IReadOnlyList<UnitState>> StatesAsync(StageContext context, params string[] units)
    {
        var r = await context.ProbeAsync(["systemctl", "show", "--property=LoadState,ActiveState,UnitFileState", "--", .. units]);
        // No systemd to ask (a container, a dry run's preview on a build machine): it knows, runs and enables nothing,
        // as `cat`, `is-active` and `is-enabled` would each have answered.
        if (r.ExitCode != 0) return [.. units.Select(u => new UnitState(u, false, false, false))];
        // One block of KEY=value lines per unit, in the order asked, an empty line between blocks.
        var blocks = r.Stdout.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (blocks.Length != units.Length)
            throw new InvalidOperationException($"systemctl show {string.Join(' ', units)} answered {blocks.Length} blocks: {r.Stdout}");
        return [.. units.Zip(blocks, (unit, block) =>
        {
            var values = block.Split('\n').Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
            return new UnitState(unit,
                Known: values.GetValueOrDefault("LoadState") is { Length: > 0 } load && load != "not-found",
                Active: values.GetValueOrDefault("ActiveState") is "active" or "reloading",
                Enabled: EnabledStates.Contains(values.GetValueOrDefault("UnitFileState") ?? ""));
        })];
    }

    public static Task DaemonReloadAsync(StageContext context) => context.RunAsync("systemctl", "daemon-reload");

    public static Task EnableAsync(StageContext context, string unit) => context.RunAsync("systemctl", "enable", unit);

    public static Task RestartAsync(StageContext context, params string[] units) => context.RunAsync(["systemctl", "restart", .. units]);

    /// <summary>
    /// Makes a running unit take a changed configuration (<paramref name="how"/>: restart, or reload-or-restart for
    /// daemons that re-read it live); a stopped unit reads it when it starts, so it is left stopped.
    /// </summary>
    public static async Task ApplyConfigurationAsync(StageContext context, string unit, string how = "restart")
    {
        if (await IsActiveAsync(context, unit)) await context.RunAsync("systemctl", how, unit);
        else context.Log.Info($"{unit} is not running: it reads the new configuration when it starts");
    }

    /// <summary>
    /// Stops units that exist, one after the other in the order given, then disables them in one command (each
    /// `disable` reloads systemd, slow on a small host); a unit that is already gone is no error.
    /// </summary>
    public static async Task StopAndDisableAsync(StageContext context, params string[] units)
    {
        var known = (await StatesAsync(context, units)).Where(u => u.Known).Select(u => u.Unit).ToList();
        foreach (var unit in known) await context.RunAsync("systemctl", "stop", unit);
        if (known.Count > 0) await context.RunAsync(["systemctl", "disable", .. known]);
    }
}
