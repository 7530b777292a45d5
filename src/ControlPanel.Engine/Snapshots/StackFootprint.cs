using ControlPanel.Engine.Stack;

namespace ControlPanel.Engine.Snapshots;

/// <summary>
/// Which snapshot items the stack can be held responsible for. A host changes on its own (logins, timers),
/// so the leftover report only compares what the install could have made: our binaries' processes, mounts
/// under containerd's and faasd's folders, the bridge and veths, CNI and our iptables chains, the stack's
/// units, and the paths the plan touches (minus the data the user chose to keep).
/// </summary>
public static class StackFootprint
{
    static readonly string[] Units = ["containerd.service", "faasd.service", "faasd-provider.service", Stack.FirewallStage.UnitName];
    static readonly string[] MountRoots = [StackPaths.ContainerdRun, StackPaths.ContainerdData, StackPaths.FaasdData];

    public static Func<string, bool> For(bool keepData) => item =>
    {
        var colon = item.IndexOf(':');
        var (kind, value) = (item[..colon], item[(colon + 1)..]);
        return kind switch
        {
            "process" => value.StartsWith(StackPaths.BinDir + "/containerd", StringComparison.Ordinal)
                         || value.StartsWith(StackPaths.FaasdBinary, StringComparison.Ordinal),
            "mount" => MountRoots.Any(r => value == r || value.StartsWith(r + "/", StringComparison.Ordinal)),
            "link" => value == StackPaths.Bridge || value.StartsWith("veth", StringComparison.Ordinal),
            "chain" => value.Split('/')[^1] is var chain && (chain.StartsWith("CNI-", StringComparison.Ordinal) || chain == FirewallStage.Chain),
            "unit" or "active" => Units.Contains(value),
            "path" or "content" => !(keepData && IsData(value.Split(' ')[0])),
            _ => false,
        };
    };

    static bool IsData(string path) => StackPaths.Data.Any(d => path == d || path.StartsWith(d + "/", StringComparison.Ordinal));
}
