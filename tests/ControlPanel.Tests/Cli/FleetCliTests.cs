using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Tests.Cli;

/// <summary>
/// The `hosts` verbs and installs on several hosts, through the real binary. SSH hosts are Debian's sshd on loopback
/// with throw-away keys; the fleet run uses the test panel's fixture plans, whose stages only print and write in a temp dir.
/// </summary>
public class FleetCliTests : IAsyncLifetime
{
    readonly string data = Path.Combine(Path.GetTempPath(), "cp-fleet-" + Guid.NewGuid().ToString("N")[..10]);
    readonly List<LoopbackSshd> servers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var s in servers) await s.DisposeAsync();
        try { Directory.Delete(data, true); } catch (IOException) { }
    }

    Task<Cli.Result> Run(params string[] args) => Cli.RunAsync([.. args, "--data", data]);

    /// <summary>The same CLI in the test panel: the fleet runs use its FIXTURE plans, and their re-runs find them.</summary>
    Task<Cli.Result> RunFixtures(params string[] args) => Cli.RunTestPanelAsync([.. args, "--data", data]);

    async Task<LoopbackSshd> AddTrustedHost(string name, params string[] labels)
    {
        var sshd = await LoopbackSshd.StartAsync();
        servers.Add(sshd);
        var add = await Run(["hosts", "add", name, $"{Environment.UserName}@127.0.0.1:{sshd.Port}", "--key", sshd.ClientKey, .. labels.SelectMany(l => new[] { "--label", l })]);
        Assert.True(add.ExitCode == 0, add.Stderr);
        var trust = await Run("hosts", "trust", name, "--yes", "--fingerprint", await sshd.HostKeyFingerprintAsync());
        Assert.True(trust.ExitCode == 0, trust.Stdout + trust.Stderr);
        Assert.Contains("signed in: ", trust.Stdout);
        return sshd;
    }

    [Fact]
    public async Task Hosts_add_list_remove_and_passwords_are_refused()
    {
        var add = await Run("hosts", "add", "edge1", "ubuntu@192.0.2.51:2222", "--key", "/root/.ssh/edge", "--label", "pi");
        Assert.Equal(0, add.ExitCode);
        Assert.Contains("added edge1: ssh://ubuntu@192.0.2.51:2222", add.Stdout);
        Assert.Contains("controlpanel hosts trust edge1", add.Stdout);

        var list = JsonDocument.Parse((await Run("hosts", "list", "--json")).Stdout).RootElement;
        var edge1 = Assert.Single(list.EnumerateArray());
        Assert.Equal("edge1", edge1.GetProperty("name").GetString());
        Assert.Equal(2222, edge1.GetProperty("port").GetInt32());
        Assert.Equal("pi", edge1.GetProperty("labels")[0].GetString());
        Assert.False(edge1.GetProperty("trusted").GetBoolean());
        Assert.Contains("NOT TRUSTED", (await Run("hosts", "list")).Stdout);

        var twice = await Run("hosts", "add", "edge1", "ubuntu@192.0.2.52");
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("NAME: \"edge1\" is already in the inventory", twice.Stderr);

        var password = await Run("hosts", "add", "edge2", "ubuntu@192.0.2.52", "--password", "raspberry");
        Assert.Equal(2, password.ExitCode);
        Assert.Contains("--password: is refused: passwords are never stored", password.Stderr);
        var inline = await Run("hosts", "add", "edge2", "ubuntu:raspberry@192.0.2.52");
        Assert.Equal(2, inline.ExitCode);
        Assert.Contains("holds a password", inline.Stderr);
        Assert.DoesNotContain("raspberry", inline.Stderr);
        var hostile = await Run("hosts", "add", "x;reboot", "ubuntu@192.0.2.52");
        Assert.Equal(2, hostile.ExitCode);
        Assert.Contains("NAME: \"x;reboot\" is not a valid host name for the inventory", hostile.Stderr);

        var noTerminal = await Run("hosts", "trust", "edge1");
        Assert.Equal(2, noTerminal.ExitCode);
        Assert.Contains("--fingerprint: is required to trust a host key without confirming it on a terminal", noTerminal.Stderr);

        Assert.Equal(0, (await Run("hosts", "remove", "edge1")).ExitCode);
        var gone = await Run("hosts", "remove", "edge1");
        Assert.Equal(2, gone.ExitCode);
        Assert.Contains("is not in the inventory", gone.Stderr);
    }

    [Fact]
    public async Task Trust_signs_in_once_and_a_user_that_cannot_exits_6_with_ssh_own_words()
    {
        var sshd = await LoopbackSshd.StartAsync();
        servers.Add(sshd);
        Assert.Equal(0, (await Run("hosts", "add", "edge1", $"nosuchuser@127.0.0.1:{sshd.Port}", "--key", sshd.ClientKey)).ExitCode);
        var fingerprint = await sshd.HostKeyFingerprintAsync();

        var trust = await Run("hosts", "trust", "edge1", "--yes", "--fingerprint", fingerprint);
        Assert.True(trust.ExitCode == 6, trust.Stdout + trust.Stderr);
        Assert.Contains($"pinned {fingerprint} for edge1", trust.Stdout);
        Assert.Contains("edge1: could not sign in over SSH", trust.Stderr);
        Assert.Contains("Permission denied", trust.Stderr);
        // The key stays pinned: it was confirmed; only the sign-in is wrong (fix the user or key, then trust again).
        Assert.Contains(fingerprint, (await Run("hosts", "list")).Stdout);
        var again = await Run("hosts", "trust", "edge1", "--yes", "--fingerprint", fingerprint);
        Assert.Equal(6, again.ExitCode);
        Assert.Contains("already pinned", again.Stdout);
    }

    [Fact]
    public async Task Trust_pins_only_a_matching_fingerprint_and_a_changed_key_exits_4()
    {
        var sshd = await LoopbackSshd.StartAsync();
        servers.Add(sshd);
        Assert.Equal(0, (await Run("hosts", "add", "edge1", $"root@127.0.0.1:{sshd.Port}", "--key", sshd.ClientKey)).ExitCode);
        var fingerprint = await sshd.HostKeyFingerprintAsync();

        var wrong = await Run("hosts", "trust", "edge1", "--yes", "--fingerprint", "SHA256:0000000000000000000000000000000000000000000");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("matches no key", wrong.Stderr);
        Assert.Contains(fingerprint, wrong.Stdout);
        Assert.False(File.Exists(Path.Combine(data, "ssh", "known_hosts")));

        var ok = await Run("hosts", "trust", "edge1", "--yes", "--fingerprint", fingerprint);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains($"ssh-ed25519          {fingerprint}", ok.Stdout);
        Assert.Contains($"pinned {fingerprint} for edge1", ok.Stdout);
        Assert.Contains(fingerprint, (await Run("hosts", "list")).Stdout);

        await sshd.RestartWithNewHostKeyAsync();
        var changed = await Run("hosts", "trust", "edge1", "--yes", "--fingerprint", await sshd.HostKeyFingerprintAsync());
        Assert.Equal(4, changed.ExitCode);
        Assert.Contains("HAS CHANGED", changed.Stderr);
        Assert.Contains("man in the middle", changed.Stderr);
        Assert.DoesNotContain(await sshd.HostKeyFingerprintAsync(), File.ReadAllText(Path.Combine(data, "ssh", "known_hosts")));
    }

    [Fact]
    public async Task Several_hosts_need_pinned_keys_and_an_inventory_file_with_a_password_is_refused_whole()
    {
        var unpinned = await Run("install", "-d", "panel.example.com", "-m", "a@example.com", "--dry-run",
            "--host", "ssh://root@127.0.0.1:1", "--host", "ssh://root@127.0.0.1:2");
        Assert.Equal(2, unpinned.ExitCode);
        Assert.Contains("--host: \"127.0.0.1:1, 127.0.0.1:2\" has no pinned host key yet", unpinned.Stderr);

        var unknown = await Run("install", "-d", "panel.example.com", "-m", "a@example.com", "--dry-run", "--host", "edge7", "--host", "local");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--host: \"edge7\" is not a host of the inventory", unknown.Stderr);

        var file = Path.Combine(Path.GetTempPath(), "cp-inventory-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(file, "edge1 ubuntu@192.0.2.51\nedge2 ubuntu@192.0.2.52 password=raspberry\n");
        try
        {
            var r = await Run("install", "-d", "panel.example.com", "-m", "a@example.com", "--yes", "--inventory", file);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains($"{file}:2: \"password\" is refused: passwords are never stored", r.Stderr);
            Assert.Equal(0, JsonDocument.Parse((await Run("hosts", "list", "--json")).Stdout).RootElement.GetArrayLength());
        }
        finally { File.Delete(file); }

        var parallel = await Run("install", "-d", "panel.example.com", "-m", "a@example.com", "--yes", "--host", "local", "--host", "ssh://root@127.0.0.1:1", "--parallel", "0");
        Assert.Equal(2, parallel.ExitCode);
        Assert.Contains("--parallel: \"0\" must be between 1 and 64", parallel.Stderr);
    }

    [Fact]
    public async Task Labels_choose_the_hosts_of_the_inventory_or_of_a_file_and_a_label_choosing_none_is_an_error()
    {
        // The selection's cases are HostLabelsTests' (engine); here, that the verbs take it and how it reads.
        Assert.Equal(0, (await Run("hosts", "add", "edge1", "ubuntu@192.0.2.51", "--label", "site=paris", "--label", "pi")).ExitCode);
        Assert.Equal(0, (await Run("hosts", "add", "edge2", "ubuntu@192.0.2.52", "--label", "site=lyon")).ExitCode);
        var listed = JsonDocument.Parse((await Run("hosts", "list", "--json")).Stdout).RootElement;
        Assert.Equal(["site=paris", "pi"], listed[0].GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        // Unpinned hosts are refused by name before anything runs: the message shows which hosts the labels chose.
        var paris = await Run("mirrors", "set", "--registry", "docker.io", "--mirror", "http://192.0.2.9:5000", "--label", "site=paris", "--dry-run");
        Assert.Equal(2, paris.ExitCode);
        Assert.Contains("--host: \"edge1\" has no pinned host key yet", paris.Stderr);
        var rome = await Run("mirrors", "set", "--registry", "docker.io", "--mirror", "http://192.0.2.9:5000", "--label", "site=rome", "--dry-run");
        Assert.Equal(2, rome.ExitCode);
        Assert.Contains("--label: \"site=rome\" selects no host of the inventory (labels there: pi, site=lyon, site=paris)", rome.Stderr);

        var file = Path.Combine(data, "caches.txt");
        File.WriteAllText(file, "cache1 ubuntu@192.0.2.61 labels=role=cache\nedge9 ubuntu@192.0.2.62 labels=role=edge\n");
        var cache = await Run("cache", "install", "--inventory", file, "--label", "role=cache", "--dry-run");
        Assert.Equal(2, cache.ExitCode);
        Assert.Contains("--host: \"cache1\" has no pinned host key yet", cache.Stderr);
    }

    [Fact]
    public async Task A_fleet_install_prints_per_host_progress_a_summary_and_reruns_only_the_failed_and_never_started_hosts()
    {
        var fixtures = Path.Combine(data, "fixtures");
        var up = await AddTrustedHost("edge1", "site=paris");
        var down = await AddTrustedHost("edge2", "site=paris", "pi");
        var busy = await AddTrustedHost("edge3", "site=lyon");
        await down.StopAsync();
        // The same hosts as an inventory file: importing it changes nothing, the run uses its order.
        var inventory = Path.Combine(data, "fleet.txt");
        File.WriteAllText(inventory, $"""
            # three loopback sshd hosts
            edge1 {Environment.UserName}@127.0.0.1:{up.Port} key={up.ClientKey}
            edge2 {Environment.UserName}@127.0.0.1:{down.Port} key={down.ClientKey}
            edge3 {Environment.UserName}@127.0.0.1:{busy.Port} key={busy.ClientKey}
            """);

        // The stored inventory's hosts at one site.
        var dry = await RunFixtures("install", "-d", "panel.example.com", "-m", "a@example.com", "--dry-run", "--fixture-plans", fixtures, "--label", "site=paris");
        Assert.Equal(1, dry.ExitCode);
        Assert.Contains("dry run of install on edge1 (ssh://", dry.Stdout);
        Assert.Contains("dry run of install on 2 hosts:", dry.Stdout);
        Assert.Matches(@"  edge1\s+7 to apply, 0 to skip", dry.Stdout);
        Assert.Matches(@"  edge2\s+WOULD FAIL", dry.Stdout);
        Assert.False(Directory.Exists(Path.Combine(fixtures, "state")) && Directory.GetFiles(Path.Combine(fixtures, "state"), "*.done").Length > 0, "a dry run changed nothing");

        Cli.Result run;
        // Another run holds edge3 (as one from the panel would): it never starts in this batch.
        using (HostLock.TryAcquire(data, $"ssh:{Environment.UserName}@127.0.0.1:{busy.Port}", "a test"))
            run = await RunFixtures("install", "-d", "panel.example.com", "-m", "a@example.com", "--yes", "--fixture-plans", fixtures,
                "--inventory", inventory, "--parallel", "2");
        Assert.DoesNotContain("inventory: ", run.Stdout);
        Assert.True(run.ExitCode == 1, run.Stdout + run.Stderr);
        Assert.Matches(@"batch (\d+): install on edge1, edge2, edge3, 2 at a time", run.Stdout);
        Assert.Contains("edge1 | [7/7] nginx", run.Stdout);
        Assert.Contains("edge2 | [1/7] preflight        Failed", run.Stdout);
        Assert.Matches(@"edge1\s+\d+\s+Succeeded", run.Stdout);
        Assert.Matches(@"edge2\s+\d+\s+Failed", run.Stdout);
        Assert.Matches(@"edge3\s+-\s+NotStarted\s+another run holds ssh:", run.Stdout);
        var batch = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"batch (\d+):").Groups[1].Value;
        Assert.Contains($"1 succeeded, 2 failed (re-run only the failed hosts: controlpanel rerun --batch {batch} --failed)", run.Stdout);
        Assert.Contains("faasd admin password of every host of the batch (shown once;", run.Stdout);

        var status = JsonDocument.Parse((await Run("runs", "--batch", batch, "--json")).Stdout).RootElement.GetProperty("hosts");
        Assert.Equal(["Succeeded", "Failed", "NotStarted"], status.EnumerateArray().Select(h => h.GetProperty("state").GetString()));

        // No --fixture-plans: the batch recorded the plans it was started with, and the re-run takes those.
        await down.StartAgainAsync();
        var rerun = await RunFixtures("rerun", "--batch", batch, "--failed");
        Assert.True(rerun.ExitCode == 0, rerun.Stdout + rerun.Stderr);
        Assert.DoesNotContain("edge1 |", rerun.Stdout);
        Assert.Contains("edge2 | [7/7] nginx", rerun.Stdout);
        Assert.Contains("edge3 | [7/7] nginx", rerun.Stdout);
        Assert.Contains("2 succeeded, 0 failed", rerun.Stdout);
        var after = (await Run("runs", "--batch", batch)).Stdout;
        Assert.Matches(@"edge1\s+\d+\s+Succeeded\s+7/7", after);
        Assert.Matches(@"edge2\s+\d+\s+Succeeded\s+7/7", after);
        Assert.Matches(@"edge3\s+\d+\s+Succeeded\s+7/7", after);

        // One run of the batch, by its id: its recorded fixture plans again (the stack's would be refused by the engine).
        var edge1Run = status[0].GetProperty("runId").GetInt64().ToString();
        var one = await RunFixtures("rerun", edge1Run, "--stage", "nginx");
        Assert.True(one.ExitCode == 0, one.Stdout + one.Stderr);
        Assert.Contains($"run {edge1Run}: re-running only nginx", one.Stdout);
        // The product binary has no fixture plans: it refuses their run rather than run the stack's stages in their place.
        var product = await Run("rerun", edge1Run);
        Assert.Equal(2, product.ExitCode);
        Assert.Contains($"RUN_ID: \"{edge1Run}\" was started with the plans \"fixture:", product.Stderr);
        await using (var db = ControlPanelDb.Open(data))
            await db.Runs.Where(r => r.Id == long.Parse(edge1Run)).ExecuteUpdateAsync(u => u.SetProperty(r => r.Catalog, "plans-of-another-build"));
        var foreign = await RunFixtures("rerun", edge1Run);
        Assert.Equal(2, foreign.ExitCode);
        Assert.Contains($"RUN_ID: \"{edge1Run}\" was started with the plans \"plans-of-another-build\", which this binary does not have", foreign.Stderr);
        var missing = await RunFixtures("rerun", "999");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("run 999 does not exist", missing.Stderr);

        var nothing = await RunFixtures("rerun", "--batch", batch, "--failed");
        Assert.Equal(2, nothing.ExitCode);
        Assert.Contains("has no failed hosts to re-run", nothing.Stderr);
        Assert.Contains("--failed: is required with --batch", (await RunFixtures("rerun", "--batch", batch)).Stderr);
    }
}
