using System.Security.Cryptography;
using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Snapshots;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stack.Uninstall;
using ControlPanel.Engine.Stages;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>
/// Install stages applied for real inside the namespace sandbox: the CNI plugins release downloaded from a
/// loopback mirror, copied in, verified, extracted, forwarding switched on; the firewall chain loaded and
/// tested with real TCP connections from another network namespace; then removed again without leftovers.
/// </summary>
public sealed class NetnsInstallTests : IAsyncLifetime
{
    NetnsSandbox sandbox = null!;
    readonly LoopbackFileServer mirror = new();
    readonly string data = Directory.CreateTempSubdirectory("cp-netns-install-").FullName;

    public async Task InitializeAsync() => sandbox = await NetnsSandbox.CreateAsync();
    public async Task DisposeAsync()
    {
        await sandbox.DisposeAsync();
        await mirror.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    /// <summary>
    /// Fixture: Debian's containernetworking-plugins binaries repacked as a CNI release tarball (real release
    /// tarballs cannot be downloaded here), described by a versions file the way a user's --versions-file would.
    /// </summary>
    async Task<InstallRequest> FixtureReleaseAsync()
    {
        var tarball = Path.Combine(data, "fixture-cni-plugins.tgz");
        await ProcessRunner.Default.RunAsync(new ProcessSpec(["tar", "-czf", tarball, "-C", "/usr/lib/cni", "."]));
        var bytes = await File.ReadAllBytesAsync(tarball);
        mirror.Add("docker/containernetworking/plugins/v1.1.1/cni-plugins-linux-amd64-v1.1.1.tgz", bytes);
        var versions = Path.Combine(data, "versions.json");
        await File.WriteAllTextAsync(versions, """
            {"defaultProfile":"fixture","profiles":{"fixture":{"cni-plugins":"1.1.1"}},
             "components":{"cni-plugins":{"upstream":"http://127.0.0.1:1/unreachable/{file}","mirror":"docker/containernetworking/plugins/v{version}/{file}",
               "releases":{"1.1.1":{"artifacts":[{"arch":"amd64","file":"cni-plugins-linux-amd64-v1.1.1.tgz","sha256":"HASH"}]}}}}}
            """.Replace("HASH", Convert.ToHexStringLower(SHA256.HashData(bytes))));
        return InstallRequest.Parse("panel.example.org", "ops@example.org", null, "fixture", mirror.BaseUrl.AbsoluteUri, "correct-horse-battery",
            [], versionsFile: versions);
    }

    StageContext Context() => new(sandbox.Host, new ListLog(), data, CancellationToken.None);

    [Fact]
    public async Task Cni_plugins_install_for_real_is_idempotent_and_uninstall_restores_the_host()
    {
        var request = await FixtureReleaseAsync();
        var services = GoldenPlanTests.Services.WithManifest(ArtifactManifest.Load("versionsFile", request.VersionsFile!));
        var context = Context();
        // A panel put on this host by install.sh keeps its data in the folder the stack keeps its state in.
        await sandbox.RunAsync("sh", "-c", "mkdir -p /var/lib/controlpanel/keys && echo panel > /var/lib/controlpanel/controlpanel.db");
        var before = await HostSnapshot.TakeAsync(context);
        Assert.Equal("0", (await sandbox.RunAsync("sysctl", "-n", CniPluginsStage.Forwarding)).Stdout.Trim());

        var stage = new CniPluginsStage(request, services);
        Assert.False((await stage.CheckAsync(context)).Done);
        await stage.ApplyAsync(context);
        await stage.VerifyAsync(context);

        Assert.Equal("1", (await sandbox.RunAsync("sysctl", "-n", CniPluginsStage.Forwarding)).Stdout.Trim());
        Assert.NotNull(await sandbox.Host.StatAsync("/opt/cni/bin/bridge", CancellationToken.None));
        Assert.Equal("0\n", await sandbox.Host.ReadFileAsync(HostBackup.SysctlDir + "/" + CniPluginsStage.Forwarding, CancellationToken.None));
        var marker = await sandbox.Host.ReadFileAsync(ComponentMarker.PathOf("cni-plugins"), CancellationToken.None);
        Assert.Contains("\"version\": \"1.1.1\"", marker);
        // The file list uninstall removes, read from the verified tarball at install.
        Assert.Contains("\"/opt/cni/bin/bridge\"", marker);
        // Downloaded through the mirror only, once.
        Assert.Single(mirror.Requests);

        var again = await stage.CheckAsync(context);
        Assert.True(again.Done, again.Reason);

        var uninstall = Context();
        foreach (var s in new Stage[] { new RemoveFilesStage(false), new RestoreBackupsStage() })
        {
            Assert.False((await s.CheckAsync(uninstall)).Done, s.Name);
            await s.ApplyAsync(uninstall);
            await s.VerifyAsync(uninstall);
        }
        Assert.Equal("0", (await sandbox.RunAsync("sysctl", "-n", CniPluginsStage.Forwarding)).Stdout.Trim());
        Assert.Null(await sandbox.Host.StatAsync("/opt/cni", CancellationToken.None));
        Assert.Equal("panel\n", await sandbox.Host.ReadFileAsync("/var/lib/controlpanel/controlpanel.db", CancellationToken.None));
        Assert.NotNull(await sandbox.Host.StatAsync("/var/lib/controlpanel/keys", CancellationToken.None));
        foreach (var path in StackPaths.StackState) Assert.Null(await sandbox.Host.StatAsync(path, CancellationToken.None));
        Assert.True((await new RestoreBackupsStage().CheckAsync(uninstall)).Done);
        Assert.Empty(HostSnapshot.Leftovers(before, await HostSnapshot.TakeAsync(uninstall), StackFootprint.For(keepData: false)));
    }

    [Fact]
    public async Task A_copy_damaged_on_the_host_is_deleted_and_never_extracted()
    {
        var request = await FixtureReleaseAsync();
        var services = GoldenPlanTests.Services.WithManifest(ArtifactManifest.Load("versionsFile", request.VersionsFile!));
        var context = Context();
        var file = (await StageArtifacts.FetchAsync(context, request, services, services.Manifest.Resolve("cni-plugins", "1.1.1", "amd64"))).Single();
        var tampered = file with { Sha256 = new string('e', 64) };

        var e = await Assert.ThrowsAsync<StageFailedException>(() => StageArtifacts.UploadAsync(context, tampered, "/var/cache/controlpanel/artifacts/x.tgz", "0644"));
        Assert.Contains("expected " + new string('e', 64), e.Message);
        Assert.Null(await sandbox.Host.StatAsync("/var/cache/controlpanel/artifacts/x.tgz", CancellationToken.None));
    }

    [Fact]
    public async Task The_firewall_chain_closes_8080_and_8081_to_other_hosts_but_not_to_loopback_and_is_removed_cleanly()
    {
        // An "outside" machine on a veth link: 10.99.0.2 -> the sandbox host at 10.99.0.1.
        var outside = await sandbox.AddNetnsAsync("outside");
        await sandbox.RunAsync("ip", "link", "add", "cp-in", "type", "veth", "peer", "name", "cp-out");
        await sandbox.RunAsync("ip", "link", "set", "cp-out", "netns", outside);
        await sandbox.RunAsync("ip", "addr", "add", "10.99.0.1/24", "dev", "cp-in");
        await sandbox.RunAsync("ip", "link", "set", "cp-in", "up");
        await sandbox.InNetnsAsync(outside, "ip", "addr", "add", "10.99.0.2/24", "dev", "cp-out");
        await sandbox.InNetnsAsync(outside, "ip", "link", "set", "cp-out", "up");
        foreach (var port in new[] { "8080", "8081", "9000" })
            sandbox.Start("nsenter", $"--net=/run/netns/{sandbox.HostNs}", "--", "socat", $"TCP-LISTEN:{port},bind=0.0.0.0,reuseaddr,fork", "SYSTEM:echo open");
        await Eventually.TrueAsync(async () => await FromOutside("8080") == "open" && await FromOutside("9000") == "open");

        // What controlpanel-firewall.service runs at boot (no systemd in the sandbox: the same files, loaded the same way).
        await sandbox.RunAsync(new ProcessSpec(["iptables-restore", "--noflush"]) { Stdin = System.Text.Encoding.UTF8.GetBytes(FirewallStage.RestoreFile(FirewallStage.RulesV4)) });
        var context = Context();
        Assert.True(await FirewallStage.ChainInPlaceAsync(context, "iptables", FirewallStage.RulesV4));

        Assert.Equal("", await FromOutside("8080"));
        Assert.Equal("", await FromOutside("8081"));
        Assert.Equal("open", await FromOutside("9000"));
        Assert.Equal("open", (await sandbox.RunAsync("socat", "-T2", "-", "TCP:127.0.0.1:8080,connect-timeout=2")).Stdout.Trim());

        // Loading twice (a restart of the unit) leaves one jump and the same rules.
        await sandbox.RunAsync(new ProcessSpec(["iptables", "-w", "-D", "INPUT", "-j", FirewallStage.Chain]));
        await sandbox.RunAsync(new ProcessSpec(["iptables-restore", "--noflush"]) { Stdin = System.Text.Encoding.UTF8.GetBytes(FirewallStage.RestoreFile(FirewallStage.RulesV4)) });
        Assert.Single((await sandbox.RunAsync("iptables", "-w", "-S", "INPUT")).Stdout.Split('\n'), l => l.Contains(FirewallStage.Chain));
        Assert.True(await FirewallStage.ChainInPlaceAsync(context, "iptables", FirewallStage.RulesV4));

        var removal = new RemoveFirewallStage();
        Assert.False((await removal.CheckAsync(context)).Done);
        await removal.ApplyAsync(context);
        await removal.VerifyAsync(context);
        Assert.DoesNotContain(FirewallStage.Chain, (await sandbox.RunAsync("iptables", "-w", "-S")).Stdout);
        Assert.Equal("open", await FromOutside("8080"));
    }

    async Task<string> FromOutside(string port) =>
        (await sandbox.InNetnsAsync("outside", "socat", "-T2", "-", $"TCP:10.99.0.1:{port},connect-timeout=2")).Stdout.Trim();
}
