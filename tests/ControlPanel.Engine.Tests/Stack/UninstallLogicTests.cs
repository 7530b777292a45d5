using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stack.Uninstall;
using static ControlPanel.Engine.Tests.Stack.StageChecks;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>The decisions inside the uninstall stages: what counts as ours, in which order things go.</summary>
public class UninstallLogicTests
{
    [Fact]
    public void Mounts_go_deepest_first_and_only_below_the_root()
    {
        var mounts = Mounts.Parse("""
            25 22 0:22 / /run rw - tmpfs tmpfs rw
            40 25 0:41 / /run/containerd/io.containerd.runtime.v2.task/default/gateway/rootfs rw - overlay overlay rw
            41 25 0:42 / /run/containerd rw - tmpfs tmpfs rw
            42 25 0:43 / /run/containerd/a\040b rw - tmpfs tmpfs rw
            43 25 0:44 / /run/containerd-other rw - tmpfs tmpfs rw
            """);
        Assert.Contains("/run/containerd/a b", mounts);
        Assert.Equal(["/run/containerd/io.containerd.runtime.v2.task/default/gateway/rootfs", "/run/containerd/a b", "/run/containerd"],
            Mounts.Below(mounts, "/run/containerd"));
    }

    [Theory]
    [InlineData("/usr/local/bin/containerd-shim-runc-v2 -namespace openfaas -id gateway -address /run/containerd/containerd.sock", true)]
    [InlineData("/usr/local/bin/faasd collect", true)]
    [InlineData("/usr/bin/containerd-shim-runc-v2 -namespace moby -id x", false)]
    [InlineData("/usr/local/bin/faasd up", false)]
    [InlineData("/usr/local/bin/containerd", false)]
    public void Only_our_shims_and_log_collectors_are_killed(string args, bool ours) => Assert.Equal(ours, ShimKiller.IsOurs(args));

    [Fact]
    public void Iptables_listing_is_split_like_iptables_quotes_it()
    {
        var words = IptablesRule.Split("-A POSTROUTING -s 10.62.0.2/32 -m comment --comment \"name: \\\"openfaas-cni-bridge\\\" id: \\\"abc\\\"\" -j CNI-1");
        Assert.Equal(["-A", "POSTROUTING", "-s", "10.62.0.2/32", "-m", "comment", "--comment", "name: \"openfaas-cni-bridge\" id: \"abc\"", "-j", "CNI-1"], words);
    }

    static IReadOnlyList<IptablesRule> Rules(string s) => IptablesRule.ParseAll(s);

    [Fact]
    public void Cni_chains_of_other_networks_and_a_shared_cni_forward_are_kept()
    {
        var nat = Rules("""
            -A POSTROUTING -s 10.62.0.2/32 -m comment --comment "name: \"openfaas-cni-bridge\" id: \"a\"" -j CNI-aaa
            -A POSTROUTING -s 10.88.0.5/32 -m comment --comment "name: \"podman\" id: \"b\"" -j CNI-bbb
            -A CNI-aaa -d 10.62.0.0/16 -m comment --comment "name: \"openfaas-cni-bridge\" id: \"a\"" -j ACCEPT
            -A CNI-bbb -d 10.88.0.0/16 -m comment --comment "name: \"podman\" id: \"b\"" -j ACCEPT
            """);
        var filter = Rules("""
            -A FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD
            -A CNI-FORWARD -m comment --comment "CNI firewall plugin admin overrides" -j CNI-ADMIN
            -A CNI-FORWARD -d 10.62.0.2/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A CNI-FORWARD -s 10.88.0.5/32 -j ACCEPT
            """);
        var steps = RemoveCniIptablesStage.Plan(["POSTROUTING", "CNI-aaa", "CNI-bbb"], nat, ["FORWARD", "CNI-FORWARD", "CNI-ADMIN"], filter).Select(s => s.ToString()).ToList();
        Assert.Equal([
            "nat: POSTROUTING -s 10.62.0.2/32 -m comment --comment name: \"openfaas-cni-bridge\" id: \"a\" -j CNI-aaa",
            "nat: chain CNI-aaa",
            "filter: CNI-FORWARD -d 10.62.0.2/32 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        ], steps);
    }

    [Fact]
    public void Link_names_are_read_without_their_peer_suffix() =>
        Assert.Equal(["lo", "openfaas0", "veth1a2b"], RemoveBridgeStage.LinkNames(
            "1: lo: <LOOPBACK> mtu 65536\n5: openfaas0: <BROADCAST> mtu 1500\n7: veth1a2b@if3: <BROADCAST> mtu 1500 master openfaas0\n"));

    [Fact]
    public async Task Workloads_of_faasd_095_are_looked_for_in_default_and_of_019_in_openfaas()
    {
        var services = GoldenPlanTests.Services;
        var seed = HostTables.InstalledSeed();
        var check = await new ContainerdWorkloadsStage(false, services).CheckAsync(Context(seed));
        Assert.Equal("tasks left in namespace openfaas-fn", check.Reason);

        var current = HostTables.InstalledSeed()
            .File(StackPaths.MarkerDir + "/faasd.json", new ComponentMarker("faasd", "0.19.7", "amd64", new string('a', 64), null).ToJson())
            .On(StackPaths.Ctr + " namespaces ls -q", 0, "openfaas\n")
            .On(StackPaths.Ctr + " -n openfaas tasks ls -q", 0, "gateway\n");
        var probes = current.Probes;
        check = await new ContainerdWorkloadsStage(false, services).CheckAsync(Context(current));
        Assert.Equal("tasks left in namespace openfaas", check.Reason);
        Assert.DoesNotContain(probes, p => p.Contains("-n default"));
    }

    [Fact]
    public async Task Keeping_data_leaves_images_and_namespaces_alone()
    {
        var host = HostTables.InstalledSeed()
            .On(StackPaths.Ctr + " -n default tasks ls -q", 0, "").On(StackPaths.Ctr + " -n default containers ls -q", 0, "")
            .On(StackPaths.Ctr + " -n openfaas-fn tasks ls -q", 0, "").On(StackPaths.Ctr + " -n openfaas-fn containers ls -q", 0, "");
        var request = new UninstallRequest(true);
        Assert.True((await new ContainerdWorkloadsStage(true, GoldenPlanTests.Services).CheckAsync(Context(host))).Done);
        Assert.Equal("namespace openfaas-fn still exists", (await new ContainerdWorkloadsStage(false, GoldenPlanTests.Services).CheckAsync(Context(host))).Reason);
    }
}
