using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.Engine.Validation;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Inventory;

/// <summary>
/// Host key pinning against Debian's real sshd on loopback (own host key, own authorized key, temp dir):
/// first contact shows the fingerprint ssh-keygen prints, nothing is trusted until confirmed, a run works once
/// pinned, a changed host key is refused loudly and never re-pinned.
/// </summary>
public class SshPinningTests : IAsyncLifetime
{
    readonly TempDir tmp = new();
    readonly string data;
    readonly string work;
    readonly List<LoopbackSshd> servers = new();

    public SshPinningTests()
    {
        data = tmp.Sub("data");
        work = tmp.Sub("work");
        Directory.CreateDirectory(work);
        ControlPanelDb.Migrate(data);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in servers) await s.DisposeAsync();
        await engines.DisposeAsync();
        tmp.Dispose();
    }

    async Task<(LoopbackSshd Sshd, InventoryHost Host)> AddHost(string name)
    {
        var sshd = await LoopbackSshd.StartAsync();
        servers.Add(sshd);
        var host = InventoryHost.Create(name, $"{Environment.UserName}@127.0.0.1:{sshd.Port}", sshd.ClientKey, ["test"]);
        await new InventoryStore(data).AddAsync(host);
        return (sshd, host);
    }

    // The same host factory the CLI and panel build: strict host keys against DATA/ssh/known_hosts, the inventory's key per host.
    readonly TestEngines engines = new();

    RunEngine NewEngine() => engines.Create(new EngineOptions(data), HostMarkerPlan.Catalog(),
        hosts: new HostFactory(new SshOptions { KnownHostsFile = KnownHosts.In(data).Path }, keyFor: new InventoryStore(data).KeyFor));

    async Task<RunState> RunOn(InventoryHost host)
    {
        var handle = await NewEngine().StartAsync(HostMarkerPlan.Request(work, "a"), host.Spec, hostName: host.Name);
        return await handle.Completion;
    }

    async Task<string?> ErrorOfLastRun()
    {
        await using var db = ControlPanelDb.Open(data);
        return db.Runs.OrderByDescending(r => r.Id).Select(r => r.Error).First();
    }

    [Fact]
    public async Task First_contact_shows_the_fingerprint_trust_pins_it_and_a_changed_key_is_refused()
    {
        var (sshd, host) = await AddHost("edge1");
        var trust = new HostTrust(data);
        var known = KnownHosts.In(data);

        // Before trust: ssh itself refuses the unknown key, nothing was accepted silently.
        Assert.Equal(RunState.Failed, await RunOn(host));
        Assert.Contains("Host key verification failed", await ErrorOfLastRun());
        Assert.False(File.Exists(known.Path));

        var offer = await trust.ScanAsync(host);
        Assert.Equal(PinState.Unknown, offer.State);
        var fingerprint = await sshd.HostKeyFingerprintAsync();
        Assert.Equal(fingerprint, Assert.Single(offer.Offered).Fingerprint);
        Assert.Equal("ssh-ed25519", offer.Offered[0].Type);

        var wrong = await Assert.ThrowsAsync<InputException>(() => trust.ConfirmAsync(offer, "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        Assert.Contains("matches no key", wrong.Message);
        Assert.Contains(fingerprint, wrong.Message);
        Assert.False(File.Exists(known.Path));
        Assert.False(trust.IsPinned(host));

        await trust.ConfirmAsync(offer, fingerprint);
        Assert.Equal($"[127.0.0.1]:{sshd.Port} ssh-ed25519 {offer.Offered[0].Blob}\n", File.ReadAllText(known.Path));
        Assert.Equal(fingerprint, (await new InventoryStore(data).FindAsync("edge1"))!.PinnedFingerprints);
        Assert.Equal(PinState.Pinned, (await trust.ScanAsync(host)).State);

        Assert.Equal(RunState.Succeeded, await RunOn(host));
        var hostDir = HostMarkerPlan.HostDir(work, $"ssh:{Environment.UserName}@127.0.0.1:{sshd.Port}");
        Assert.Equal($"done on ssh:{Environment.UserName}@127.0.0.1:{sshd.Port}\n", File.ReadAllText(Path.Combine(hostDir, "done-a")));

        // The host comes back with another key (reinstalled, or someone in the middle).
        var pinnedBefore = File.ReadAllText(known.Path);
        await sshd.RestartWithNewHostKeyAsync();
        var changed = await Assert.ThrowsAsync<HostKeyException>(() => trust.ScanAsync(host));
        Assert.Contains("HAS CHANGED", changed.Message);
        Assert.Contains("man in the middle", changed.Message);
        Assert.Contains(fingerprint, changed.Message);
        Assert.Contains(await sshd.HostKeyFingerprintAsync(), changed.Message);
        var offeredNow = await new HostKeyScanner().ScanAsync(host.Target);
        Assert.Throws<HostKeyException>(() => known.Pin(host.Target, offeredNow));
        Assert.Equal(pinnedBefore, File.ReadAllText(known.Path));

        File.Delete(Path.Combine(hostDir, "done-a"));
        Assert.Equal(RunState.Failed, await RunOn(host));
        Assert.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", await ErrorOfLastRun() + string.Join("\n", NewEngine().Logs.Read((await LastRunId()), 0).Select(e => e.Text)));
        Assert.False(File.Exists(Path.Combine(hostDir, "done-a")));
    }

    [Fact]
    public async Task A_fleet_run_drives_two_sshd_hosts_at_once_and_a_failing_one_does_not_stop_the_other()
    {
        var (sshd1, host1) = await AddHost("edge1");
        var (sshd2, host2) = await AddHost("edge2");
        var trust = new HostTrust(data);
        foreach (var (sshd, host) in new[] { (sshd1, host1), (sshd2, host2) })
            await trust.ConfirmAsync(await trust.ScanAsync(host), await sshd.HostKeyFingerprintAsync());
        var failDir = HostMarkerPlan.HostDir(work, $"ssh:{Environment.UserName}@127.0.0.1:{sshd2.Port}");
        Directory.CreateDirectory(failDir);
        File.WriteAllText(Path.Combine(failDir, "fail-b"), "");

        var fleet = NewEngine().Fleet;
        var targets = FleetTargets.Of([host1, host2]);
        FleetTargets.RequirePinned(data, targets);
        var handle = await fleet.StartAsync(HostMarkerPlan.Request(work, "a,b", together: 2), targets, parallel: 2);
        var results = await handle.Completion;

        Assert.Equal([RunState.Succeeded, RunState.Failed], results.Select(r => r.State));
        Assert.Contains("b failing on purpose", results[1].Error);
        Assert.Equal(2, HostMarkerPlan.MaxOverlap(work));

        File.Delete(Path.Combine(failDir, "fail-b"));
        var again = await (await fleet.RerunFailedAsync(handle.BatchId, 2)).Completion;
        Assert.Equal(["edge2"], again.Select(r => r.Target.Name));
        Assert.Equal(RunState.Succeeded, again[0].State);
    }

    [Fact]
    public async Task A_fleet_refuses_a_host_whose_key_was_never_pinned()
    {
        var (_, host) = await AddHost("edge9");
        var e = Assert.Throws<InputException>(() => FleetTargets.RequirePinned(data, FleetTargets.Of([host])));
        Assert.Contains("edge9", e.Message);
        Assert.Contains("controlpanel hosts trust", e.Message);
    }

    async Task<long> LastRunId()
    {
        await using var db = ControlPanelDb.Open(data);
        return db.Runs.Max(r => r.Id);
    }
}
