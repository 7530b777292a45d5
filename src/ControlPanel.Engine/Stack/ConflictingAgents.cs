using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
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
    sealed record Agent(string Name, string[] Packages, string[] Paths, MessageTemplate Why, MessageTemplate Fix, string? Brings = null);

    static readonly MessageTemplate Finding = new("preflight.conflicting-agent", "{agent} is installed ({evidence}): {why}, which conflicts with the stack; {fix}, or use another host");
    static readonly MessageTemplate Package = new("preflight.evidence-package", "package {name}");
    static readonly MessageTemplate FixWithApt = new("preflight.agent-fix-apt", "{fix} (apt-get remove {packages})");

    const string OtherContainerd = "another containerd";

    // Fields, not inline in Known: the panel finds every message key by reflection to require its translation.
    static readonly MessageTemplate K3sWhy = new("agent.k3s-why", "it runs its own containerd and kubelet");
    static readonly MessageTemplate K3sFix = new("agent.k3s-fix", "run /usr/local/bin/k3s-uninstall.sh (or k3s-agent-uninstall.sh)");
    static readonly MessageTemplate KubeletWhy = new("agent.kubelet-why", "it manages containers on its runtime and the node's CNI");
    static readonly MessageTemplate KubeletFix = new("agent.kubelet-fix", "run kubeadm reset and remove kubelet");
    static readonly MessageTemplate EdgecoreWhy = new("agent.edgecore-why", "it manages containers on its runtime");
    static readonly MessageTemplate EdgecoreFix = new("agent.edgecore-fix", "run keadm reset");
    static readonly MessageTemplate DockerWhy = new("agent.docker-why", "it brings containerd.io, a second containerd");
    static readonly MessageTemplate DockerFix = new("agent.docker-fix", "remove docker-ce/docker.io and containerd.io");
    static readonly MessageTemplate ContainerdWhy = new("agent.containerd-why", "it would share /run/containerd and the containerd.service name with the stack's");
    static readonly MessageTemplate ContainerdFix = new("agent.containerd-fix", "remove it (or the files of a manual install)");

    static readonly Agent[] Known =
    [
        new("k3s", [], ["/usr/local/bin/k3s", "/etc/systemd/system/k3s.service", "/etc/systemd/system/k3s-agent.service"],
            K3sWhy, K3sFix),
        new("kubelet (Kubernetes)", [], ["/usr/bin/kubelet", "/usr/local/bin/kubelet", "/etc/kubernetes/kubelet.conf"],
            KubeletWhy, KubeletFix),
        new("KubeEdge edgecore", [], ["/usr/local/bin/edgecore", "/etc/kubeedge/config/edgecore.yaml"],
            EdgecoreWhy, EdgecoreFix),
        new("Docker (dockerd)", ["docker.io", "docker-ce"], ["/usr/bin/dockerd"],
            DockerWhy, DockerFix, Brings: OtherContainerd),
        new(OtherContainerd, ["containerd", "containerd.io"], ["/usr/bin/containerd"],
            ContainerdWhy, ContainerdFix),
    ];

    public static async Task<IReadOnlyList<UserMessage>> FindAsync(StageContext context)
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
            var evidence = pkgs.Select(p => Package.With(("name", p)))
                .Concat(group.SelectMany(g => g.Paths).Where(present.Contains).Select(UserMessage.Verbatim));
            var fix = pkgs.Count > 0 ? FixWithApt.With(("fix", a.Fix.Message()), ("packages", string.Join(' ', pkgs))) : a.Fix.Message();
            return Finding.With(("agent", a.Name), ("evidence", UserMessage.Join(", ", evidence)), ("why", a.Why.Message()), ("fix", fix));
        }).ToList();
    }
}
