using System.Text.RegularExpressions;
using ControlPanel.Engine.HostConfig.Toml;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// Seed 001: a node agent (kubelet, KubeEdge's edgecore) and the container runtime under it must use the same cgroup
/// driver, or pods fail to start. Compared when an agent's config says which driver it uses.
/// </summary>
public static partial class CgroupDrivers
{
    public const string KubeletConfig = "/var/lib/kubelet/config.yaml";
    public const string EdgecoreConfig = "/etc/kubeedge/config/edgecore.yaml";

    static readonly MessageTemplate Mismatch = new("preflight.cgroup-mismatch",
        "cgroup driver mismatch: {agents}, {runtime} uses {driver}; pods will not start: {fix} (or change the agent's cgroupDriver)");
    static readonly MessageTemplate AgentUses = new("preflight.cgroup-agent-uses", "{agent} uses {driver}");
    static readonly MessageTemplate ContainerdRunc = new("preflight.cgroup-containerd-runc", "containerd's runc ({path})");
    static readonly MessageTemplate FixContainerd = new("preflight.cgroup-fix-containerd", "set SystemdCgroup = {value} under the runc options and restart containerd");
    static readonly MessageTemplate FixDocker = new("preflight.cgroup-fix-docker", "set \"exec-opts\": [\"native.cgroupdriver={driver}\"] and restart docker");

    public static async Task<IReadOnlyList<UserMessage>> FindMismatchesAsync(StageContext context)
    {
        // Without an agent's driver there is nothing to mismatch: the runtimes' files are read only then (two round
        // trips fewer over SSH on the usual host).
        var kubelet = await context.ReadFileAsync(KubeletConfig);
        var edgecore = await context.ReadFileAsync(EdgecoreConfig);
        if (AgentDriver(kubelet) is null && AgentDriver(edgecore) is null) return [];
        return Mismatches(await context.ReadFileAsync(ContainerdConfig.File.Path), await context.ReadFileAsync(DockerDaemonConfig.File.Path),
            kubelet, edgecore);
    }

    /// <summary>One message per runtime whose driver differs from an agent's, naming the files and the fix.</summary>
    public static IReadOnlyList<UserMessage> Mismatches(string? containerdToml, string? daemonJson, string? kubeletYaml, string? edgecoreYaml)
    {
        var agents = new List<(string Name, string Driver)>();
        if (AgentDriver(kubeletYaml) is { } k) agents.Add(($"kubelet ({KubeletConfig})", k));
        if (AgentDriver(edgecoreYaml) is { } e) agents.Add(($"edgecore ({EdgecoreConfig})", e));
        if (agents.Count == 0) return [];

        var runtimes = new List<(UserMessage Name, string Driver, UserMessage Fix)>();
        if (ContainerdDriver(containerdToml) is { } c)
            runtimes.Add((ContainerdRunc.With(("path", ContainerdConfig.File.Path)), c, FixContainerd.With(("value", c == "systemd" ? "false" : "true"))));
        if (DockerDriver(daemonJson) is { } d)
            runtimes.Add((UserMessage.Verbatim($"Docker ({DockerDaemonConfig.File.Path})"), d, FixDocker.With(("driver", d == "systemd" ? "cgroupfs" : "systemd"))));

        // One finding per runtime to fix, however many agents it disagrees with.
        return (from runtime in runtimes
                let differing = agents.Where(a => a.Driver != runtime.Driver).ToList()
                where differing.Count > 0
                select Mismatch.With(("agents", UserMessage.Join(" and ", differing.Select(a => AgentUses.With(("agent", a.Name), ("driver", a.Driver))))),
                    ("runtime", runtime.Name), ("driver", runtime.Driver), ("fix", runtime.Fix))).ToList();
    }

    /// <summary>cgroupDriver in a kubelet or edgecore YAML config (edgecore nests it under edged), null when not set.</summary>
    public static string? AgentDriver(string? yaml) =>
        yaml is not null && AgentDriverLine().Match(yaml) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>
    /// SystemdCgroup of the runc runtime in config.toml: true means systemd, false cgroupfs. Null when containerd has no
    /// config (the faasd stack's own containerd) or the file cannot be read (the mirror stage reports that).
    /// </summary>
    public static string? ContainerdDriver(string? toml)
    {
        if (toml is null) return null;
        try
        {
            var value = TomlDocument.Parse(toml).Entries.FirstOrDefault(e => e.Path[^1] == "SystemdCgroup" && e.Path.Contains("runc"))?.Value.Bool;
            return value is null ? null : value.Value ? "systemd" : "cgroupfs";
        }
        catch (ConfigSyntaxException) { return null; }
    }

    /// <summary>Docker's driver from daemon.json's exec-opts; cgroupfs unless systemd is asked for (Docker's default on cgroup v1).</summary>
    public static string? DockerDriver(string? json)
    {
        if (json is null) return null;
        try
        {
            var opts = JsonMembers.Parse(json).GetNode("exec-opts")?.AsArray().Select(n => n?.ToString() ?? "") ?? [];
            return opts.Select(o => ExecOptDriver().Match(o)).FirstOrDefault(m => m.Success)?.Groups[1].Value ?? "cgroupfs";
        }
        catch (Exception e) when (e is ConfigSyntaxException or InvalidOperationException) { return null; }
    }

    [GeneratedRegex(@"(?m)^\s*cgroupDriver:\s*[""']?(systemd|cgroupfs)[""']?\s*$")] private static partial Regex AgentDriverLine();
    [GeneratedRegex(@"^native\.cgroupdriver=(systemd|cgroupfs)$")] private static partial Regex ExecOptDriver();
}
