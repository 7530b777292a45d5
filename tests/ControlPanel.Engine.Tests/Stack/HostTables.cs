using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stack;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>Scripted hosts for golden dry runs: a fresh Debian 12 (as debootstrap leaves it, plus ssh and curl) and one with the seed stack installed.</summary>
public static class HostTables
{
    public const long Now = 1_795_000_000;
    public const string OsRelease = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian

        """;
    const string MountInfo = """
        22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
        23 22 0:5 / /dev rw,nosuid shared:2 - devtmpfs udev rw
        24 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
        25 22 0:22 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,mode=755
        26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw

        """;

    public static ScriptedHost FreshDebian12(string machine = "x86_64", params string[] installedPackages)
    {
        var installed = new HashSet<string>(installedPackages.Length > 0 ? installedPackages : ["ca-certificates", "curl", "iproute2"]);
        return new ScriptedHost()
            .File("/etc/os-release", OsRelease)
            .File("/proc/self/mountinfo", MountInfo)
            .Dir("/run/systemd/system")
            .On("id -u", 0, "0\n")
            .On("uname -m", 0, machine + "\n")
            .On("stat -fc %T /sys/fs/cgroup", 0, "cgroup2fs\n")
            .On("df -PB1 /var/lib", 0, "Filesystem 1-blocks Used Available Capacity Mounted on\n/dev/vda1 8589934592 420000000 7900000000 6% /\n")
            .On("ss -Htlnp", 0, "LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:((\"sshd\",pid=312,fd=3))\n")
            .On("date -u +%s", 0, Now + "\n")
            .On("ip -o addr show", 0, "1: lo    inet 127.0.0.1/8 scope host lo\n2: eth0    inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0\n")
            .On("ip -o link show", 0, "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT\n")
            .On("sysctl -n net.ipv4.conf.all.forwarding", 0, "0\n")
            .When(argv => argv[0] == "dpkg-query" ? DpkgQuery(argv, installed) : null)
            .OnPrefix("systemctl is-active", 3)
            .OnPrefix("systemctl is-enabled", 1)
            .OnPrefix("systemctl cat", 1)
            .OnPrefix(StackPaths.Ctr + " ", 127)
            .OnPrefix("curl ", 7, "000")
            .OnPrefix("iptables ", 127)
            .OnPrefix("ip6tables ", 127)
            .OnPrefix("find ", 1)
            .On("ip -o link show dev openfaas0", 1)
            // debootstrap's minbase has no procps: processes come from the /proc loop.
            .On("ps -eo pid=,args=", 127)
            .When(argv => argv[0] == "sh" && argv[2].StartsWith("for p in /proc") ? ScriptedHost.Result(0, "1 /sbin/init\n312 sshd: /usr/sbin/sshd -D [listener]\n") : null);
    }

    static ProcessResult DpkgQuery(IReadOnlyList<string> argv, HashSet<string> installed)
    {
        var lines = argv.Skip(3).Where(installed.Contains).Select(p => $"{p} installed\n");
        var all = argv.Skip(3).All(installed.Contains);
        return ScriptedHost.Result(all ? 0 : 1, string.Concat(lines));
    }

    /// <summary>A Debian 12 host with the seed profile (containerd 1.4.0, CNI 0.8.5, faasd 0.9.5) installed and running, one function deployed.</summary>
    public static ScriptedHost InstalledSeed()
    {
        var host = FreshDebian12("x86_64", [.. DepsStage.Packages, "iproute2"]);
        const string Archive = "/var/cache/controlpanel/artifacts/";
        host.File(StackPaths.MarkerDir + "/containerd.json", Marker("containerd", "1.4.0", Archive + "containerd-1.4.0-linux-amd64.tar.gz"))
            .File(StackPaths.MarkerDir + "/cni-plugins.json", Marker("cni-plugins", "0.8.5", Archive + "cni-plugins-linux-amd64-v0.8.5.tgz"))
            .File(StackPaths.MarkerDir + "/faasd.json", Marker("faasd", "0.9.5", null))
            .File(Archive + "containerd-1.4.0-linux-amd64.tar.gz", "(archive)")
            .File(Archive + "cni-plugins-linux-amd64-v0.8.5.tgz", "(archive)")
            .File(StackPaths.ContainerdUnit, ContainerdStage.Unit)
            .File(StackPaths.FaasdUnit, "[Unit]\nDescription=faasd\n")
            .File(StackPaths.FaasdProviderUnit, "[Unit]\nDescription=faasd-provider\n")
            .File(StackPaths.FirewallUnit, FirewallStage.Unit)
            .File(StackPaths.FirewallRulesV4, FirewallStage.RestoreFile(FirewallStage.RulesV4))
            .File(StackPaths.FirewallRulesV6, FirewallStage.RestoreFile(FirewallStage.RulesV6))
            .File(StackPaths.SysctlFile, Sysctl.FileContent("net.ipv4.conf.all.forwarding", "1"))
            .File(StackPaths.BackupDir + "/sysctl/net.ipv4.conf.all.forwarding", "0\n")
            .File(StackPaths.FaasdBinary, "(binary)")
            .File("/usr/local/bin/containerd", "(binary)")
            .File("/usr/local/bin/ctr", "(binary)")
            .File(StackPaths.CniConfig, "{}")
            .File(StackPaths.CniResults + "/openfaas-cni-bridge-gateway-eth1", "{}")
            .File("/run/containerd/io.containerd.runtime.v2.task/default/gateway/shim.pid", "4101")
            .File("/proc/4101/comm", "containerd-shim\n")
            .File("/proc/self/mountinfo", MountInfo +
                "40 25 0:41 / /run/containerd/io.containerd.runtime.v2.task/default/gateway/rootfs rw,relatime - overlay overlay rw\n" +
                "41 25 0:42 / /run/containerd/io.containerd.grpc.v1.cri/sandboxes/x/shm rw - tmpfs shm rw\n" +
                "42 25 0:43 / /run/containerd/io.containerd.runtime.v2.task/default/nats/rootfs rw,relatime - overlay overlay rw\n")
            .Dir(StackPaths.ContainerdRun).Dir(StackPaths.ContainerdData).Dir(StackPaths.FaasdData).Dir(StackPaths.FaasdProviderData)
            .Dir(StackPaths.BundleDir).Dir(StackPaths.ArtifactDir).Dir(StackPaths.MarkerDir).Dir(StackPaths.StateDir)
            .Dir(StackPaths.CniIpamStates[0])
            .Dir(StackPaths.CniBinDir + "/bridge").Dir(StackPaths.CniBinDir + "/host-local")
            .OnPrefix("systemctl is-active --quiet", 0)
            .OnPrefix("systemctl is-enabled --quiet", 0)
            .OnPrefix("systemctl cat", 0)
            .On(StackPaths.Ctr + " version", 0, "Client:\n  Version:  v1.4.0\n\nServer:\n  Version:  v1.4.0\n")
            .On(StackPaths.Ctr + " namespaces ls -q", 0, "default\nopenfaas-fn\n")
            .On(StackPaths.Ctr + " -n default tasks ls -q", 0, "gateway\nnats\n")
            .On(StackPaths.Ctr + " -n default containers ls -q", 0, "gateway\nnats\n")
            .On(StackPaths.Ctr + " -n default images ls -q", 0, "docker.io/openfaas/gateway:0.18.18\ndocker.io/library/nats-streaming:0.11.2\n")
            .On(StackPaths.Ctr + " -n openfaas-fn tasks ls -q", 0, "figlet\n")
            .On(StackPaths.Ctr + " -n openfaas-fn containers ls -q", 0, "figlet\n")
            .On(StackPaths.Ctr + " -n openfaas-fn images ls -q", 0, "ghcr.io/openfaas/figlet:latest\n")
            .On("find " + StackPaths.ShimTasks + " -mindepth 3 -maxdepth 3 -name shim.pid", 0, "/run/containerd/io.containerd.runtime.v2.task/default/gateway/shim.pid\n")
            .On("ps -eo pid=,args=", 0,
                "    1 /sbin/init\n    2 [kthreadd]\n 4101 /usr/local/bin/containerd-shim-runc-v2 -namespace default -id gateway -address /run/containerd/containerd.sock\n" +
                " 4150 /usr/local/bin/faasd collect\n")
            .On("ip -o link show dev openfaas0", 0, "5: openfaas0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n")
            .On("ip -o link show master openfaas0", 0, "7: vethc0ffee1@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master openfaas0 state UP\n")
            .On("find " + StackPaths.CniResults + " -maxdepth 1 -name 'openfaas-cni-bridge-*'", 0, StackPaths.CniResults + "/openfaas-cni-bridge-gateway-eth1\n")
            .On("iptables -w -t nat -S", 0, """
                -P PREROUTING ACCEPT
                -P POSTROUTING ACCEPT
                -N CNI-8d7c3b2a1f0e9d8c7b6a5f4e
                -A POSTROUTING -s 10.62.0.2/32 -m comment --comment "name: \"openfaas-cni-bridge\" id: \"gateway\"" -j CNI-8d7c3b2a1f0e9d8c7b6a5f4e
                -A CNI-8d7c3b2a1f0e9d8c7b6a5f4e -d 10.62.0.0/16 -m comment --comment "name: \"openfaas-cni-bridge\" id: \"gateway\"" -j ACCEPT
                -A CNI-8d7c3b2a1f0e9d8c7b6a5f4e ! -d 224.0.0.0/4 -m comment --comment "name: \"openfaas-cni-bridge\" id: \"gateway\"" -j MASQUERADE

                """)
            .On("iptables -w -t filter -S", 0, """
                -P INPUT ACCEPT
                -P FORWARD ACCEPT
                -P OUTPUT ACCEPT
                -N CNI-ADMIN
                -N CNI-FORWARD
                -N CONTROLPANEL-FAASD
                -A INPUT -j CONTROLPANEL-FAASD
                -A FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD
                -A CNI-FORWARD -m comment --comment "CNI firewall plugin admin overrides" -j CNI-ADMIN
                -A CNI-FORWARD -d 10.62.0.2/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A CNI-FORWARD -s 10.62.0.2/32 -j ACCEPT

                """)
            .On("iptables -w -S " + FirewallStage.Chain, 0, "-N CONTROLPANEL-FAASD\n" + string.Join('\n', FirewallStage.RulesV4) + "\n")
            .On("ip6tables -w -S " + FirewallStage.Chain, 0, "-N CONTROLPANEL-FAASD\n" + string.Join('\n', FirewallStage.RulesV6) + "\n")
            .On("iptables -w -C INPUT -j " + FirewallStage.Chain, 0)
            .On("ip6tables -w -C INPUT -j " + FirewallStage.Chain, 0)
            .On("tar -tzf " + Archive + "containerd-1.4.0-linux-amd64.tar.gz", 0, "bin/\nbin/containerd\nbin/containerd-shim\nbin/containerd-shim-runc-v1\nbin/containerd-shim-runc-v2\nbin/ctr\n")
            .On("tar -tzf " + Archive + "cni-plugins-linux-amd64-v0.8.5.tgz", 0, "./\n./bridge\n./host-local\n./loopback\n./firewall\n")
            .On("find " + StackPaths.BackupDir + " -type f", 0, StackPaths.BackupDir + "/sysctl/net.ipv4.conf.all.forwarding\n");
        return host;
    }

    static string Marker(string component, string version, string? archive) =>
        new ComponentMarker(component, version, "amd64", new string('a', 64), archive).ToJson();
}
