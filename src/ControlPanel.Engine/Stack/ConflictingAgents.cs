using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// Seed 001's "final bug": a board that also had Kubernetes and k3s installed, whose agents and runtimes fought the
/// target's over cgroups, CNI and ports. Found by the files they leave (installers outside apt leave no package).
/// </summary>
public static class ConflictingAgents
{
    sealed record Agent(string Name, string[] Paths, string Why, string Fix);

    static readonly Agent[] Known =
    [
        new("k3s", ["/usr/local/bin/k3s", "/etc/systemd/system/k3s.service", "/etc/systemd/system/k3s-agent.service"],
            "it runs its own containerd and kubelet", "run /usr/local/bin/k3s-uninstall.sh (or k3s-agent-uninstall.sh)"),
        new("kubelet (Kubernetes)", ["/usr/bin/kubelet", "/usr/local/bin/kubelet", "/etc/kubernetes/kubelet.conf"],
            "it manages containers on its runtime and the node's CNI", "run kubeadm reset and remove kubelet"),
        new("KubeEdge edgecore", ["/usr/local/bin/edgecore", "/etc/kubeedge/config/edgecore.yaml"],
            "it manages containers on its runtime", "run keadm reset"),
        new("Docker (dockerd)", ["/usr/bin/dockerd"],
            "it brings containerd.io, a second containerd", "remove docker-ce/docker.io and containerd.io"),
        new("another containerd", ["/usr/bin/containerd"],
            "it would share /run/containerd and the containerd.service name with the stack's", "remove it (apt-get remove containerd, or the files of a manual install)"),
    ];

    public static async Task<IReadOnlyList<string>> FindAsync(StageContext context)
    {
        var present = (await HostFiles.ExistingAsync(context, Known.SelectMany(a => a.Paths))).ToHashSet(StringComparer.Ordinal);
        return Known.Where(a => a.Paths.Any(present.Contains))
            .Select(a => $"{a.Name} is installed ({string.Join(", ", a.Paths.Where(present.Contains))}): {a.Why}, which conflicts with the stack; {a.Fix}, or use another host")
            .ToList();
    }
}
