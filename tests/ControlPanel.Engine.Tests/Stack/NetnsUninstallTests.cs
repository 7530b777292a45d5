using System.Text;
using System.Text.Json.Nodes;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Snapshots;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stack.Uninstall;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>
/// The uninstall stages against real kernel state in a network + mount namespace sandbox: Debian's CNI bridge,
/// host-local and firewall plugins (the ones faasd drives) create openfaas0, veths, IPAM leases and the CNI-*
/// chains exactly as on a host running faasd; shims are stood in for by a copy of sleep named like a shim.
/// </summary>
public sealed class NetnsUninstallTests : IAsyncLifetime
{
    const string CniBin = "/usr/lib/cni";
    // faasd's network, as in its 10-openfaas.conflist.
    const string BridgeConf = """
        {"cniVersion":"0.4.0","name":"openfaas-cni-bridge","type":"bridge","bridge":"openfaas0","isGateway":true,"ipMasq":true,
         "ipam":{"type":"host-local","subnet":"10.62.0.0/16","routes":[{"dst":"0.0.0.0/0"}]}}
        """;

    NetnsSandbox sandbox = null!;
    readonly string data = Directory.CreateTempSubdirectory("cp-netns-data-").FullName;
    readonly ListLog log = new();

    public async Task InitializeAsync() => sandbox = await NetnsSandbox.CreateAsync();
    public async Task DisposeAsync()
    {
        await sandbox.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    StageContext Context() => new(sandbox.Host, log, data, CancellationToken.None);

    async Task CniAddAsync(string containerId)
    {
        var netns = await sandbox.AddNetnsAsync(containerId);
        var env = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = containerId, ["CNI_NETNS"] = $"/run/netns/{netns}",
            ["CNI_IFNAME"] = "eth1", ["CNI_PATH"] = CniBin,
        };
        var bridge = await sandbox.RunAsync(new ProcessSpec([$"{CniBin}/bridge"]) { Environment = env, Stdin = Encoding.UTF8.GetBytes(BridgeConf) });
        var firewall = new JsonObject
        {
            ["cniVersion"] = "0.4.0", ["name"] = StackPaths.CniNetwork, ["type"] = "firewall",
            ["prevResult"] = JsonNode.Parse(bridge.Stdout),
        };
        await sandbox.RunAsync(new ProcessSpec([$"{CniBin}/firewall"]) { Environment = env, Stdin = Encoding.UTF8.GetBytes(firewall.ToJsonString()) });
        // libcni's result cache; faasd's CNI library writes it beside the plugins' own state.
        await sandbox.Host.WriteFileAsync(new FileSpec($"{StackPaths.CniResults}/{StackPaths.CniNetwork}-{containerId}-eth1", bridge.Stdout, "0600"), CancellationToken.None);
    }

    [Fact]
    public async Task Uninstall_stages_remove_bridge_veths_ipam_state_chains_mounts_and_shims_and_nothing_else()
    {
        // Another CNI user's chain from before the install: it must survive.
        await sandbox.RunAsync("iptables", "-w", "-t", "nat", "-N", "CNI-foreign");
        await sandbox.RunAsync("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-s", "10.88.0.5/32", "-m", "comment", "--comment", "name: \"podman\" id: \"x\"", "-j", "CNI-foreign");
        await new SnapshotStage().ApplyAsync(Context());
        var store = new SnapshotStore(data);
        var before = store.Current(sandbox.Host.Key)!;

        // What a running faasd leaves: two containers on the bridge, its config, a shim and its mounts.
        await sandbox.Host.WriteFileAsync(new FileSpec(StackPaths.CniConfig, BridgeConf, "0644"), CancellationToken.None);
        await CniAddAsync("gateway");
        await CniAddAsync("nats");
        var shim = await StartFakeShimAsync("default", "gateway");
        const string Rootfs = StackPaths.ShimTasks + "/default/gateway/rootfs";
        await sandbox.RunAsync("mkdir", "-p", Rootfs);
        await sandbox.RunAsync("mount", "-t", "tmpfs", "tmpfs", Rootfs);
        await sandbox.RunAsync("mkdir", "-p", Rootfs + "/dev/shm");
        await sandbox.RunAsync("mount", "-t", "tmpfs", "shm", Rootfs + "/dev/shm");

        var links = (await sandbox.RunAsync("ip", "-o", "link", "show")).Stdout;
        Assert.Contains("openfaas0", links);
        Assert.Equal(2, RemoveBridgeStage.LinkNames(links).Count(l => l.StartsWith("veth")));
        Assert.Matches("-A POSTROUTING .*openfaas-cni-bridge.* -j CNI-", (await sandbox.RunAsync("iptables", "-w", "-t", "nat", "-S")).Stdout);
        Assert.Contains("-N CNI-FORWARD", (await sandbox.RunAsync("iptables", "-w", "-S")).Stdout);
        Assert.True(await sandbox.Host.StatAsync("/var/lib/cni/networks/openfaas-cni-bridge", CancellationToken.None) is not null);

        // The report sees what the install added (and fails on it) ...
        var report = await Assert.ThrowsAsync<StageFailedException>(() => new LeftoverReportStage(keepData: false).ApplyAsync(Context()));
        Assert.Contains("- link:openfaas0", report.Message);
        Assert.Matches(@"- chain:iptables/nat/CNI-[0-9a-f]+\n", report.Message);
        Assert.Contains("- mount:" + Rootfs + "/dev/shm", report.Message);
        Assert.Contains("- path:/var/lib/cni/networks/openfaas-cni-bridge", report.Message);
        Assert.DoesNotContain("CNI-foreign", report.Message);
        Assert.Contains("LEFT link:openfaas0", await File.ReadAllTextAsync(store.ReportPath(sandbox.Host.Key)));

        Stage[] stages = [new KillShimsStage(GoldenPlanTests.Services), new UnmountStage(), new RemoveBridgeStage(), new RemoveCniStateStage(), new RemoveCniIptablesStage()];
        foreach (var stage in stages)
        {
            Assert.False((await stage.CheckAsync(Context())).Done, stage.Name + " should have work to do");
            await stage.ApplyAsync(Context());
            await stage.VerifyAsync(Context());
        }

        Assert.True(shim.WaitForExit(5000), "the fake shim must be dead");
        links = (await sandbox.RunAsync("ip", "-o", "link", "show")).Stdout;
        Assert.DoesNotContain("openfaas0", links);
        Assert.DoesNotContain("veth", links);
        var nat = (await sandbox.RunAsync("iptables", "-w", "-t", "nat", "-S")).Stdout;
        Assert.DoesNotContain("openfaas-cni-bridge", nat);
        Assert.Contains("-N CNI-foreign", nat);
        Assert.Contains("podman", nat);
        var filter = (await sandbox.RunAsync("iptables", "-w", "-S")).Stdout;
        Assert.DoesNotContain("CNI-FORWARD", filter);
        Assert.DoesNotContain("CNI-ADMIN", filter);
        foreach (var gone in new[] { StackPaths.ContainerdRun, StackPaths.CniConfig, "/var/lib/cni/networks/openfaas-cni-bridge", $"{StackPaths.CniResults}/{StackPaths.CniNetwork}-gateway-eth1" })
            Assert.Null(await sandbox.Host.StatAsync(gone, CancellationToken.None));
        Assert.DoesNotContain((await sandbox.Host.ReadFileAsync("/proc/self/mountinfo", CancellationToken.None))!, "/run/containerd");

        // ... and, after the uninstall stages, finds nothing: the snapshot is retired, kept for a later uninstall.
        await new LeftoverReportStage(keepData: false).ApplyAsync(Context());
        Assert.Contains("nothing the install added remains", await File.ReadAllTextAsync(store.ReportPath(sandbox.Host.Key)));
        Assert.Null(store.Current(sandbox.Host.Key));
        Assert.Equal(before.Items, store.Baseline(sandbox.Host.Key)!.Items);

        // A second run finds nothing to do.
        foreach (var stage in stages) Assert.True((await stage.CheckAsync(Context())).Done, stage.Name);
    }

    [Fact]
    public async Task A_busy_mount_fails_the_unmount_stage_naming_it()
    {
        const string Rootfs = StackPaths.ShimTasks + "/openfaas/gateway/rootfs";
        await sandbox.RunAsync("mkdir", "-p", Rootfs);
        await sandbox.RunAsync("mount", "-t", "tmpfs", "tmpfs", Rootfs);
        // A process whose working directory is inside the mount keeps it busy.
        var holder = sandbox.Start("nsenter", $"--mount={sandbox.MountNs}", "--", "sh", "-c", "cd \"$1\" && exec sleep 300", "sh", Rootfs);
        await Eventually.TrueAsync(() => Task.FromResult(new FileInfo($"/proc/{holder.Id}/cwd").LinkTarget == Rootfs));

        var e = await Assert.ThrowsAsync<StageFailedException>(() => new UnmountStage().ApplyAsync(Context()));
        Assert.Contains(Rootfs + " could not be unmounted", e.Message);
        Assert.Contains("fuser -vm", e.Message);

        holder.Kill();
        await holder.WaitForExitAsync();
        await new UnmountStage().ApplyAsync(Context());
        Assert.True((await new UnmountStage().CheckAsync(Context())).Done);
    }

    /// <summary>A copy of sleep named containerd-shim-runc-v2 (its comm reads "containerd-shim"), with its pid in a shim.pid file.</summary>
    async Task<System.Diagnostics.Process> StartFakeShimAsync(string ns, string id)
    {
        var fake = Path.Combine(data, "containerd-shim-runc-v2");
        File.Copy("/bin/sleep", fake, overwrite: true);
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var shim = sandbox.Start(fake, "300");
        await sandbox.Host.WriteFileAsync(new FileSpec($"{StackPaths.ShimTasks}/{ns}/{id}/shim.pid", shim.Id.ToString(), "0644"), CancellationToken.None);
        return shim;
    }
}
