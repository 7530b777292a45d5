using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// Seed 001's "final bug": a board that also had Kubernetes and k3s installed, whose agents and runtimes fought the
/// target's over cgroups, CNI and ports. Found by the packages and the files they leave (installers outside apt
/// leave no package), one finding per thing to remove: Docker's own containerd is part of Docker's finding.
/// </summary>
public static class ConflictingAgents
{
    /// <param name="Brings">Another agent this one installs along (Docker's containerd.io): found with it, it is not a finding of its own.</param>
    sealed record Agent(string Name, string[] Packages, string[] Paths, string Why, string Fix, string? Brings = null);

    const string OtherContainerd = "another containerd";

    static readonly Agent[] Known =
    [
        new("k3s", [], ["/usr/local/bin/k3s", "/etc/systemd/system/k3s.service", "/etc/systemd/system/k3s-agent.service"],
            "it runs its own containerd and kubelet", "run /usr/local/bin/k3s-uninstall.sh (or k3s-agent-uninstall.sh)"),
        new("kubelet (Kubernetes)", [], ["/usr/bin/kubelet", "/usr/local/bin/kubelet", "/etc/kubernetes/kubelet.conf"],
            "it manages containers on its runtime and the node's CNI", "run kubeadm reset and remove kubelet"),
        new("KubeEdge edgecore", [], ["/usr/local/bin/edgecore", "/etc/kubeedge/config/edgecore.yaml"],
            "it manages containers on its runtime", "run keadm reset"),
        new("Docker (dockerd)", ["docker.io", "docker-ce"], ["/usr/bin/dockerd"],
            "it brings containerd.io, a second containerd", "remove docker-ce/docker.io and containerd.io", Brings: OtherContainerd),
        new(OtherContainerd, ["containerd", "containerd.io"], ["/usr/bin/containerd"],
            "it would share /run/containerd and the containerd.service name with the stack's", "remove it (or the files of a manual install)"),
    ];

    public static async Task<IReadOnlyList<string>> FindAsync(StageContext context)
    {
        var present = (await HostFiles.ExistingAsync(context, Known.SelectMany(a => a.Paths))).ToHashSet(StringComparer.Ordinal);
        var packages = Known.SelectMany(a => a.Packages).ToList();
        var installed = packages.Except(await Apt.MissingAsync(context, packages)).ToHashSet(StringComparer.Ordinal);
        bool Found(Agent a) => a.Paths.Any(present.Contains) || a.Packages.Any(installed.Contains);

        var found = Known.Where(Found).ToList();
        return found.Where(a => !found.Any(other => other.Brings == a.Name)).Select(a =>
        {
            var group = found.Where(f => f == a || f.Name == a.Brings).ToList();
            var pkgs = group.SelectMany(g => g.Packages).Where(installed.Contains).Order(StringComparer.Ordinal).ToList();
            var evidence = pkgs.Select(p => "package " + p).Concat(group.SelectMany(g => g.Paths).Where(present.Contains));
            var fix = a.Fix + (pkgs.Count > 0 ? $" (apt-get remove {string.Join(' ', pkgs)})" : "");
            return $"{a.Name} is installed ({string.Join(", ", evidence)}): {a.Why}, which conflicts with the stack; {fix}, or use another host";
        }).ToList();
    }
}
