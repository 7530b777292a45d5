using System.Net;
using System.Net.Sockets;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;
using static ControlPanel.Engine.Tests.Stack.StageChecks;

namespace ControlPanel.Engine.Tests.Stack;

public class PreflightStageTests
{
    static PreflightStage Stage(string profile = "seed", StackServices? services = null) =>
        new(GoldenPlanTests.Request(profile), services ?? GoldenPlanTests.Services);

    static async Task<string> Failure(ScriptedHost host, string profile = "seed", StackServices? services = null) =>
        (await Assert.ThrowsAsync<StageFailedException>(() => Check(Stage(profile, services), host, GoldenPlanTests.Request(profile)))).Message;

    [Fact]
    public async Task A_fresh_debian_12_passes_and_the_reason_sums_it_up()
    {
        var check = await Check(Stage(), HostTables.FreshDebian12());
        Assert.True(check.Done);
        Assert.Equal("debian 12, amd64, cgroup v2, 7.4 GiB free, clock within 0 s", check.Reason);
    }

    [Fact]
    public async Task The_host_is_asked_a_few_questions_at_a_time_and_the_answer_keeps_its_order()
    {
        // Each answer takes 50 ms, as a round trip over SSH to a slow host would.
        var host = new SlowHost(HostTables.FreshDebian12(), TimeSpan.FromMilliseconds(50));
        var check = await Check(Stage(), host);
        Assert.Equal("debian 12, amd64, cgroup v2, 7.4 GiB free, clock within 0 s", check.Reason);
        Assert.InRange(host.MostAtOnce, 2, 4);
    }

    [Fact]
    public async Task Failures_asked_side_by_side_are_reported_in_the_checks_order()
    {
        var host = new SlowHost(HostTables.FreshDebian12("armv7l").On("id -u", 0, "1000\n").Without("/run/systemd/system"), TimeSpan.FromMilliseconds(20));
        var failure = (await Assert.ThrowsAsync<StageFailedException>(() => Check(Stage(), host))).Message;
        var order = new[] { "connect as root", "armv7l has no faasd stack build", "systemd is not the init system" }.Select(m => failure.IndexOf(m, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public async Task The_cpu_is_asked_once_per_host_whichever_stage_asks()
    {
        var host = HostTables.InstalledSeed();
        await Check(Stage(), host);
        var request = GoldenPlanTests.Request("seed");
        await Check(new ContainerdStage(request, GoldenPlanTests.Services), host);
        await Check(new CniPluginsStage(request, GoldenPlanTests.Services), host);
        Assert.Single(host.Probes, p => p == "uname -m");
    }

    /// <summary>A host whose every answer takes a while; counts how many questions were open at once.</summary>
    sealed class SlowHost(IHost inner, TimeSpan delay) : IHost
    {
        int open;
        public int MostAtOnce { get; private set; }
        public string Key => inner.Key;

        async Task<T> Slow<T>(Func<Task<T>> ask)
        {
            lock (this) MostAtOnce = Math.Max(MostAtOnce, ++open);
            try
            {
                await Task.Delay(delay);
                return await ask();
            }
            finally { lock (this) open--; }
        }

        public Task<ProcessResult> RunAsync(ProcessSpec command, CancellationToken cancellationToken) => Slow(() => inner.RunAsync(command, cancellationToken));
        public Task<string?> ReadFileAsync(string path, CancellationToken cancellationToken) => Slow(() => inner.ReadFileAsync(path, cancellationToken));
        public Task<FileStat?> StatAsync(string path, CancellationToken cancellationToken) => Slow(() => inner.StatAsync(path, cancellationToken));
        public Task<FileChange> WriteFileAsync(FileSpec file, CancellationToken cancellationToken) => inner.WriteFileAsync(file, cancellationToken);
        public Task<FileChange> UploadAsync(string localPath, string hostPath, string mode, CancellationToken cancellationToken) => inner.UploadAsync(localPath, hostPath, mode, cancellationToken);
        public Task<FileChange> DeleteFileAsync(string path, CancellationToken cancellationToken) => inner.DeleteFileAsync(path, cancellationToken);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    [Fact]
    public async Task Not_root_fails_naming_the_fix() =>
        Assert.Contains("connect as root", await Failure(HostTables.FreshDebian12().On("id -u", 0, "1000\n")));

    [Theory]
    [InlineData("ubuntu", "18.04")]
    [InlineData("debian", "10")]
    [InlineData("centos", "7")]
    public async Task Unsupported_systems_fail_listing_the_supported_ones(string id, string version)
    {
        var message = await Failure(HostTables.FreshDebian12().File("/etc/os-release", $"ID={id}\nVERSION_ID=\"{version}\"\n"));
        Assert.Contains($"{id} {version} is not supported", message);
        Assert.Contains("debian 11/12 or ubuntu 20.04/22.04/24.04", message);
    }

    [Theory]
    [InlineData("ubuntu", "24.04")]
    [InlineData("debian", "11")]
    public async Task Supported_systems_pass(string id, string version) =>
        Assert.True((await Check(Stage(), HostTables.FreshDebian12().File("/etc/os-release", $"ID={id}\nVERSION_ID=\"{version}\"\n"))).Done);

    [Fact]
    public async Task Seed_on_arm64_fails_naming_profile_current_while_current_passes()
    {
        Assert.Contains("Fix: install with --profile current", await Failure(HostTables.FreshDebian12("aarch64")));
        Assert.True((await Check(Stage("current"), HostTables.FreshDebian12("aarch64"), GoldenPlanTests.Request("current"))).Done);
    }

    [Fact]
    public async Task Unknown_cpu_fails() =>
        Assert.Contains("armv7l has no faasd stack build", await Failure(HostTables.FreshDebian12("armv7l")));

    [Fact]
    public async Task No_systemd_fails() =>
        Assert.Contains("systemd is not the init system", await Failure(HostTables.FreshDebian12().Without("/run/systemd/system")));

    [Fact]
    public async Task Little_disk_space_fails_with_the_figures() =>
        Assert.Contains("only 0.5 GiB free on /var/lib", await Failure(HostTables.FreshDebian12()
            .On("df -PB1 /var/lib", 0, "Filesystem 1-blocks Used Available Capacity Mounted on\n/dev/vda1 8589934592 8000000000 536870912 94% /\n")));

    [Fact]
    public async Task A_port_held_by_something_else_fails_but_our_own_services_may_hold_theirs()
    {
        const string Ours = "LISTEN 0 511 0.0.0.0:80 0.0.0.0:* users:((\"nginx\",pid=900,fd=6))\nLISTEN 0 4096 *:8080 *:* users:((\"faasd\",pid=950,fd=7))\n";
        Assert.True((await Check(Stage(), HostTables.FreshDebian12().On("ss -Htlnp", 0, Ours))).Done);

        var message = await Failure(HostTables.FreshDebian12().On("ss -Htlnp", 0, Ours + "LISTEN 0 5 [::]:8081 [::]:* users:((\"python3\",pid=77,fd=3))\n"));
        Assert.Contains("port 8081 is taken by python3: stop it or move it", message);
    }

    [Fact]
    public async Task A_second_containerd_from_docker_io_fails_naming_the_packages_to_remove() =>
        Assert.Contains("apt-get remove containerd docker.io", await Failure(HostTables.FreshDebian12("x86_64", "curl", "containerd", "docker.io")));

    [Fact]
    public async Task A_skewed_clock_fails_and_a_missing_reference_only_warns()
    {
        var skewed = new StackServices
        {
            ResolveHost = GoldenPlanTests.Services.ResolveHost,
            ReferenceClock = (_, _) => Task.FromResult<DateTimeOffset?>(DateTimeOffset.FromUnixTimeSeconds(HostTables.Now + 600)),
        };
        Assert.Contains("-600 s off", await Failure(HostTables.FreshDebian12(), services: skewed));
        Assert.Contains("timedatectl set-ntp true", await Failure(HostTables.FreshDebian12(), services: skewed));

        Assert.Contains("x509 \"certificate has expired or is not yet valid\"", await Failure(HostTables.FreshDebian12(), services: skewed));

        // This machine without a reference: nothing to compare with, a warning only.
        var offline = new StackServices { ResolveHost = GoldenPlanTests.Services.ResolveHost, ReferenceClock = (_, _) => Task.FromResult<DateTimeOffset?>(null) };
        var log = new ListLog();
        var local = HostTables.FreshDebian12();
        local.Key = "local";
        Assert.True((await Check(Stage(services: offline), local, log: log)).Done);
        Assert.Contains(log.Warnings, w => w.StartsWith("clock not checked"));
    }

    [Fact]
    public async Task A_remote_host_without_a_reference_is_compared_with_the_panels_clock()
    {
        var offline = new StackServices
        {
            ResolveHost = GoldenPlanTests.Services.ResolveHost,
            ReferenceClock = (_, _) => Task.FromResult<DateTimeOffset?>(null),
            EngineClock = () => DateTimeOffset.FromUnixTimeSeconds(HostTables.Now - 3600),
        };
        Assert.Contains("the host clock is +3600 s off (the panel's clock says", await Failure(HostTables.FreshDebian12(), services: offline));
        var inSync = new StackServices { ResolveHost = offline.ResolveHost, ReferenceClock = offline.ReferenceClock, EngineClock = () => DateTimeOffset.FromUnixTimeSeconds(HostTables.Now + 2) };
        Assert.True((await Check(Stage(services: inSync), HostTables.FreshDebian12())).Done);
    }

    [Theory]
    [InlineData("/usr/local/bin/k3s", "k3s is installed (/usr/local/bin/k3s): it runs its own containerd and kubelet", "k3s-uninstall.sh")]
    [InlineData("/etc/kubernetes/kubelet.conf", "kubelet (Kubernetes) is installed (/etc/kubernetes/kubelet.conf)", "kubeadm reset")]
    [InlineData("/etc/kubeedge/config/edgecore.yaml", "KubeEdge edgecore is installed (/etc/kubeedge/config/edgecore.yaml)", "keadm reset")]
    [InlineData("/usr/bin/dockerd", "Docker (dockerd) is installed", "containerd.io")]
    [InlineData("/usr/bin/containerd", "another containerd is installed (/usr/bin/containerd)", "/run/containerd")]
    public async Task Other_agents_and_runtimes_fail_naming_how_to_remove_them(string path, string message, string fix)
    {
        var failure = await Failure(HostTables.FreshDebian12().File(path, "x"));
        Assert.Contains(message, failure);
        Assert.Contains(fix, failure);
    }

    static string[] Findings(string failure) => failure.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task Docker_with_its_containerd_is_one_finding_naming_every_package_and_file()
    {
        var host = HostTables.FreshDebian12("x86_64", "curl", "iproute2", "containerd", "docker.io")
            .File("/usr/bin/dockerd", "x").File("/usr/bin/containerd", "x");
        var finding = Assert.Single(Findings(await Failure(host)));
        Assert.Equal("- Docker (dockerd) is installed (package containerd, package docker.io, /usr/bin/dockerd, /usr/bin/containerd): it brings containerd.io, " +
                     "a second containerd, which conflicts with the stack; remove docker-ce/docker.io and containerd.io (apt-get remove containerd docker.io), or use another host", finding);
    }

    [Fact]
    public async Task A_packaged_containerd_alone_is_one_finding_with_its_package_and_file()
    {
        var host = HostTables.FreshDebian12("x86_64", "curl", "iproute2", "containerd.io").File("/usr/bin/containerd", "x");
        var finding = Assert.Single(Findings(await Failure(host)));
        Assert.StartsWith("- another containerd is installed (package containerd.io, /usr/bin/containerd): it would share /run/containerd", finding);
        Assert.EndsWith("(apt-get remove containerd.io), or use another host", finding);
    }

    [Fact]
    public void A_runtime_that_differs_from_two_agents_is_one_finding_naming_both()
    {
        var kubelet = "kind: KubeletConfiguration\ncgroupDriver: systemd\n";
        var edgecore = "modules:\n  edged:\n    tailoredKubeletConfig:\n      cgroupDriver: systemd\n";
        var found = CgroupDrivers.Mismatches(Registry.Samples.Read("containerd-1.6-default.toml"), null, kubelet, edgecore);
        Assert.Equal("cgroup driver mismatch: kubelet (/var/lib/kubelet/config.yaml) uses systemd and edgecore (/etc/kubeedge/config/edgecore.yaml) uses systemd, " +
                     "containerd's runc (/etc/containerd/config.toml) uses cgroupfs; pods will not start: set SystemdCgroup = true under the runc options and restart containerd " +
                     "(or change the agent's cgroupDriver)", Assert.Single(found).Text);
    }

    [Fact]
    public async Task A_kubelet_on_systemd_beside_a_containerd_on_cgroupfs_fails_with_the_fix()
    {
        var host = HostTables.FreshDebian12()
            .File(CgroupDrivers.KubeletConfig, "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n")
            .File("/etc/containerd/config.toml", Registry.Samples.Read("containerd-1.6-default.toml"));
        var failure = await Failure(host);
        Assert.Contains("cgroup driver mismatch: kubelet (/var/lib/kubelet/config.yaml) uses systemd, containerd's runc (/etc/containerd/config.toml) uses cgroupfs", failure);
        Assert.Contains("set SystemdCgroup = true", failure);
    }

    [Theory]
    [InlineData("{\"exec-opts\": [\"native.cgroupdriver=systemd\"]}", "systemd", null)]
    [InlineData("{\"log-driver\": \"json-file\"}", "systemd", "Docker (/etc/docker/daemon.json) uses cgroupfs")]
    [InlineData("{\"exec-opts\": [\"native.cgroupdriver=systemd\"]}", "cgroupfs", "Docker (/etc/docker/daemon.json) uses systemd")]
    public void Docker_and_edgecore_drivers_are_compared(string daemonJson, string edgecoreDriver, string? mismatch)
    {
        // edgecore nests the driver under modules.edged (tailoredKubeletConfig since KubeEdge 1.13).
        var edgecore = $"modules:\n  edged:\n    tailoredKubeletConfig:\n      cgroupDriver: {edgecoreDriver}\n";
        var found = CgroupDrivers.Mismatches(null, daemonJson, null, edgecore);
        if (mismatch is null) Assert.Empty(found);
        else Assert.Contains(mismatch, Assert.Single(found).Text);
    }

    [Fact]
    public void Without_a_node_agent_there_is_nothing_to_compare() =>
        Assert.Empty(CgroupDrivers.Mismatches("version = 2\n", "{}", null, null));

    [Fact]
    public async Task The_clock_is_checked_against_the_mirror_when_there_is_one()
    {
        Uri? asked = null;
        var services = new StackServices
        {
            ResolveHost = GoldenPlanTests.Services.ResolveHost,
            ReferenceClock = (u, _) => { asked = u; return Task.FromResult<DateTimeOffset?>(DateTimeOffset.FromUnixTimeSeconds(HostTables.Now)); },
        };
        var request = GoldenPlanTests.Request("seed") with { DownloadMirror = new Uri("http://127.0.0.1:8000/mirror/") };
        await Check(new PreflightStage(request, services), HostTables.FreshDebian12(), request);
        Assert.Equal(request.DownloadMirror, asked);
    }

    [Fact]
    public async Task A_domain_that_does_not_resolve_here_is_a_warning_not_a_failure()
    {
        var log = new ListLog();
        Assert.True((await Check(Stage(), HostTables.FreshDebian12(), log: log)).Done);
        Assert.Contains(log.Warnings, w => w.Contains("resolves to 203.0.113.10, not to an address on this host") && w.Contains("fine behind NAT"));

        var here = new StackServices { ResolveHost = (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.0.2.15") }), ReferenceClock = GoldenPlanTests.Services.ReferenceClock };
        var quiet = new ListLog();
        await Check(Stage(services: here), HostTables.FreshDebian12(), log: quiet);
        Assert.Empty(quiet.Warnings);

        var nowhere = new StackServices { ResolveHost = (_, _) => throw new SocketException((int)SocketError.HostNotFound), ReferenceClock = GoldenPlanTests.Services.ReferenceClock };
        var warned = new ListLog();
        Assert.True((await Check(Stage(services: nowhere), HostTables.FreshDebian12(), log: warned)).Done);
        Assert.Contains(warned.Warnings, w => w.Contains("does not resolve"));
    }

    [Fact]
    public async Task All_failures_are_reported_at_once()
    {
        var message = await Failure(HostTables.FreshDebian12("aarch64").On("id -u", 0, "1000\n").Without("/run/systemd/system"));
        Assert.Contains("not running as root", message);
        Assert.Contains("no official linux-arm64 build", message);
        Assert.Contains("systemd is not the init system", message);
    }

    [Fact]
    public void Listening_ports_are_read_from_ss_output() =>
        Assert.Equal([(22, "sshd"), (8081, ""), (443, "nginx")], PreflightStage.ListeningPorts(
            "LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:((\"sshd\",pid=1,fd=3))\nLISTEN 0 5 [::]:8081 [::]:*\nLISTEN 0 511 [::]:443 [::]:* users:((\"nginx\",pid=2,fd=7),(\"nginx\",pid=3,fd=7))\n"));
}
