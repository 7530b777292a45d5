using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;
using static ControlPanel.Engine.Tests.Stack.StageChecks;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>The check of each install stage: done on a host that has the state, and the reason when it does not.</summary>
public class InstallStageChecksTests
{
    static readonly StackServices Services = GoldenPlanTests.Services;
    static readonly InstallRequest Seed = GoldenPlanTests.Request("seed");

    static ScriptedHost Installed() => HostTables.InstalledSeed()
        .On("sysctl -n net.ipv4.conf.all.forwarding", 0, "1\n")
        .File(FaasdStage.UserFile, "admin")
        .File(FaasdStage.PasswordFile, Seed.FaasdPassword)
        .OnPrefix("curl ", 0, "200");

    [Fact]
    public async Task Deps_lists_exactly_the_missing_packages()
    {
        var check = await Check(new DepsStage(), HostTables.FreshDebian12("x86_64", "curl", "ca-certificates", "nginx"));
        Assert.False(check.Done);
        Assert.Equal("missing: runc, bridge-utils, iptables", check.Reason);
        Assert.True((await Check(new DepsStage(), HostTables.FreshDebian12("x86_64", DepsStage.Packages))).Done);
        Assert.DoesNotContain("docker.io", DepsStage.Packages);
    }

    [Fact]
    public async Task Cni_plugins_are_done_only_with_the_pinned_version_the_binaries_and_forwarding()
    {
        Assert.True((await Check(new CniPluginsStage(Seed, Services), Installed())).Done);
        Assert.Equal("CNI plugins 0.8.5 (amd64) not installed", (await Check(new CniPluginsStage(Seed, Services), HostTables.FreshDebian12())).Reason);
        var current = GoldenPlanTests.Request("current");
        Assert.Equal("CNI plugins 0.9.1 (amd64) not installed; found 0.8.5 (amd64)", (await Check(new CniPluginsStage(current, Services), Installed(), current)).Reason);
        Assert.Contains("is not 1 now", (await Check(new CniPluginsStage(Seed, Services), Installed().On("sysctl -n net.ipv4.conf.all.forwarding", 0, "0\n"))).Reason);
        Assert.Contains("not persisted", (await Check(new CniPluginsStage(Seed, Services), Installed().Without(StackPaths.SysctlFile))).Reason);
    }

    [Fact]
    public async Task Containerd_needs_our_unit_a_running_service_and_a_server_that_answers()
    {
        Assert.True((await Check(new ContainerdStage(Seed, Services), Installed())).Done);
        Assert.Contains("not ours", (await Check(new ContainerdStage(Seed, Services), Installed().File(StackPaths.ContainerdUnit, "[Service]\nKillMode=mixed\n"))).Reason);
        Assert.Contains("not running", (await Check(new ContainerdStage(Seed, Services), Installed().On("systemctl is-active --quiet containerd", 3))).Reason);
        Assert.Contains("does not answer", (await Check(new ContainerdStage(Seed, Services), Installed().On(StackPaths.Ctr + " version", 1, "Client:\n"))).Reason);
        Assert.Contains("KillMode=process", ContainerdStage.Unit);
    }

    [Fact]
    public async Task Faasd_checks_password_services_and_gateway()
    {
        Assert.True((await Check(new FaasdStage(Seed, Services), Installed())).Done);
        var other = Seed with { FaasdPassword = "another-password" };
        Assert.Contains("password", (await Check(new FaasdStage(other, Services), Installed(), other)).Reason);
        // A generated password keeps the one on the host, so a second install changes nothing.
        var generated = other with { PasswordGenerated = true };
        Assert.True((await Check(new FaasdStage(generated, Services), Installed(), generated)).Done);
        Assert.Contains("gateway does not answer", (await Check(new FaasdStage(Seed, Services), Installed().OnPrefix("curl ", 7, "000"))).Reason);
        Assert.Contains("faasd install has not run", (await Check(new FaasdStage(Seed, Services), Installed().Without(StackPaths.FaasdUnit))).Reason);
    }

    [Fact]
    public async Task Faasd_019_is_refused_without_the_eula_and_the_message_shows_its_terms()
    {
        var current = GoldenPlanTests.Request("current");
        var e = await Assert.ThrowsAsync<StageFailedException>(() => Check(new FaasdStage(current, Services), HostTables.FreshDebian12(), current));
        Assert.Contains("non-commercial purposes only", e.Message);
        Assert.Contains("must not be redistributed", e.Message);
        Assert.Contains("--accept-eula", e.Message);

        var accepted = current with { AcceptEula = true };
        Assert.False((await Check(new FaasdStage(accepted, Services), HostTables.FreshDebian12(), accepted)).Done);
    }

    [Fact]
    public async Task Firewall_needs_exactly_our_rules_loaded()
    {
        Assert.True((await Check(new FirewallStage(), Installed())).Done);
        var extra = Installed().On("iptables -w -S " + FirewallStage.Chain, 0, string.Join('\n', FirewallStage.RulesV4) + "\n-A CONTROLPANEL-FAASD -j ACCEPT\n");
        Assert.Contains("not loaded", (await Check(new FirewallStage(), extra)).Reason);
        Assert.Contains("not loaded", (await Check(new FirewallStage(), Installed().On("iptables -w -C INPUT -j " + FirewallStage.Chain, 1))).Reason);
        Assert.Contains("missing or not ours", (await Check(new FirewallStage(), HostTables.FreshDebian12())).Reason);
    }

    [Fact]
    public void Firewall_rules_let_loopback_and_the_bridge_in_and_drop_the_rest()
    {
        Assert.Equal(["-A CONTROLPANEL-FAASD -i lo -j RETURN", "-A CONTROLPANEL-FAASD -i openfaas0 -j RETURN", "-A CONTROLPANEL-FAASD -p tcp -m multiport --dports 8080,8081 -j DROP"], FirewallStage.RulesV4);
        Assert.Contains("ExecStop=-/usr/sbin/iptables -w -X CONTROLPANEL-FAASD", FirewallStage.Unit);
    }

    [Fact]
    public void Install_request_inputs_survive_the_round_trip_through_the_plan_request()
    {
        var hash = new string('c', 64);
        var r = InstallRequest.Parse("panel.example.org", "ops@example.org", null, "current", null, null, ["seed", "current"], acceptEula: true, confirmHashes: [hash]);
        var back = InstallRequest.From(r.Store());
        Assert.True(back.AcceptEula);
        Assert.True(back.PasswordGenerated);
        Assert.Equal([hash], back.ConfirmHashes);
        var e = Assert.Throws<ControlPanel.Engine.Validation.InputException>(() => InstallRequest.Parse("panel.example.org", "ops@example.org", null, null, null, null, ["seed"], confirmHashes: ["xyz"]));
        Assert.Equal("confirmHash", e.Field);
    }
}
