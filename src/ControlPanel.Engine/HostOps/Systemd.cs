using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostOps;

/// <summary>systemctl, as the stages use it.</summary>
public static class Systemd
{
    public static async Task<bool> IsActiveAsync(StageContext context, string unit) =>
        (await context.ProbeAsync("systemctl", "is-active", "--quiet", unit)).ExitCode == 0;

    public static async Task<bool> IsEnabledAsync(StageContext context, string unit) =>
        (await context.ProbeAsync("systemctl", "is-enabled", "--quiet", unit)).ExitCode == 0;

    /// <summary>Whether systemd knows the unit at all (a file for it exists somewhere it looks).</summary>
    public static async Task<bool> IsKnownAsync(StageContext context, string unit) =>
        (await context.ProbeAsync("systemctl", "cat", "--", unit)).ExitCode == 0;

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

    /// <summary>Stops and disables units that exist; a unit that is already gone is no error.</summary>
    public static async Task StopAndDisableAsync(StageContext context, params string[] units)
    {
        foreach (var unit in units)
        {
            if (!await IsKnownAsync(context, unit)) continue;
            await context.RunAsync("systemctl", "stop", unit);
            await context.RunAsync("systemctl", "disable", unit);
        }
    }
}
