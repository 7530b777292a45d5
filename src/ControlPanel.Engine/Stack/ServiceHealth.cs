using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// One of the stack's services as systemd reports it: installed (a unit file is loaded) or not, its state, and since
/// when it has been active. Read-only: one `systemctl show` for all of them.
/// </summary>
public sealed record ServiceHealth(string Unit, bool Installed, string ActiveState, string SubState, DateTime? ActiveSince)
{
    public static readonly string[] StackUnits = ["containerd", "faasd-provider", "faasd", "nginx"];

    public bool Active => ActiveState == "active";

    /// <summary>The units' states, in the order asked; null where systemd does not run (a container, a chroot).</summary>
    public static async Task<IReadOnlyList<ServiceHealth>?> ReadAsync(IHost host, IReadOnlyList<string> units, CancellationToken ct = default)
    {
        if (await host.StatAsync("/run/systemd/system", ct) is null) return null;
        var result = await host.RunAsync(new ProcessSpec(["systemctl", "show", "--property=Id,LoadState,ActiveState,SubState,ActiveEnterTimestamp",
            "--timestamp=unix", .. units.Select(u => u + ".service")]) { CaptureStdout = true, ReadOnly = true, Timeout = TimeSpan.FromSeconds(15) }, ct);
        return Parse(result.Stdout);
    }

    /// <summary>`systemctl show` output: one block of KEY=VALUE lines per unit, blocks apart by an empty line.</summary>
    public static IReadOnlyList<ServiceHealth> Parse(string output) =>
        output.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1]))
            .Where(p => p.ContainsKey("Id"))
            .Select(p => new ServiceHealth(
                p["Id"].EndsWith(".service", StringComparison.Ordinal) ? p["Id"][..^".service".Length] : p["Id"],
                p.GetValueOrDefault("LoadState") == "loaded",
                p.GetValueOrDefault("ActiveState", "unknown"),
                p.GetValueOrDefault("SubState", ""),
                p.GetValueOrDefault("ActiveEnterTimestamp") is ['@', .. var seconds] && long.TryParse(seconds, out var s) && s > 0
                    ? DateTime.UnixEpoch.AddSeconds(s) : null))
            .ToList();
}
