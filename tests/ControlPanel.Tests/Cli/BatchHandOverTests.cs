using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Stages;
using ControlPanel.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Tests.Cli;

/// <summary>
/// A batch handed from the CLI to the panel (`install --inventory F --detach`): the CLI records it and returns; the
/// panel (the test panel's `serve`, SQLite) executes every host. The hosts are three ports of Debian's sshd on loopback
/// running the FIXTURE plans.
/// </summary>
public sealed class BatchHandOverTests : IAsyncLifetime
{
    PanelServer? panel;
    LoopbackSshd? sshd;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (panel is not null) await panel.DisposeAsync();
        if (sshd is not null) await sshd.DisposeAsync();
    }

    [Fact]
    public async Task Install_detach_on_an_inventory_returns_at_once_and_the_panel_executes_every_host()
    {
        panel = await PanelServer.StartAsync(null, "--node", "panel-a");
        sshd = await LoopbackSshd.StartAsync(3);
        var data = panel.DataDirectory;
        var inventory = Path.Combine(panel.Root, "hosts.txt");
        File.WriteAllLines(inventory, sshd.Ports.Select((port, i) => $"h{i + 1} {Environment.UserName}@127.0.0.1:{port} key={sshd.ClientKey}"));
        Assert.Equal(0, (await Cli.RunTestPanelAsync("hosts", "import", inventory, "--data", data)).ExitCode);
        foreach (var name in new[] { "h1", "h2", "h3" })
        {
            var trust = await Cli.RunTestPanelAsync("hosts", "trust", name, "--yes", "--fingerprint", await sshd.HostKeyFingerprintAsync(), "--data", data);
            Assert.True(trust.ExitCode == 0, trust.Stdout + trust.Stderr);
        }
        // Held at its first stage until the CLI has returned: the CLI cannot have executed any of it.
        panel.SetFixture("hold-preflight", "");

        var handed = await Cli.RunTestPanelAsync("install", "-d", "panel.example.com", "-m", "a@example.com", "--password-file", WritePassword(panel.Root),
            "--inventory", inventory, "--parallel", "2", "--detach", "--json", "--fixture-plans", panel.FixtureDirectory, "--data", data);
        Assert.True(handed.ExitCode == 0, handed.Stdout + handed.Stderr);
        var batchId = JsonDocument.Parse(handed.Stdout).RootElement.GetProperty("batchId").GetInt64();
        await using (var db = ControlPanelDb.Open(data))
            Assert.Equal("cli", (await db.Batches.SingleAsync(b => b.Id == batchId)).RequestedBy);

        // The panel takes it: two hosts at a time (--parallel 2), the third waiting.
        var runs = await WaitForRunsAsync(data, batchId, r => r.Count(x => x.State == RunState.Running) == 2, "two hosts running");
        Assert.Equal(2, runs.Count);
        panel.ClearFixture("hold-preflight");
        runs = await WaitForRunsAsync(data, batchId, r => r.Count == 3 && r.All(x => x.State.IsFinal()), "every host ended");

        Assert.All(runs, r => Assert.Equal(RunState.Succeeded, r.State));
        Assert.All(runs, r => Assert.Equal("panel-a", r.Node));
        Assert.Equal(["h1", "h2", "h3"], runs.Select(r => r.HostName).Order());
        var listed = await Cli.RunTestPanelAsync("runs", "--batch", batchId.ToString(), "--data", data);
        Assert.Equal(3, listed.Stdout.Split('\n').Count(l => l.Contains("Succeeded") && l.Contains("7/7") && l.Contains("panel-a")));

        // Text output names the batch and how to follow it.
        var again = await Cli.RunTestPanelAsync("uninstall", "--inventory", inventory, "--detach", "--yes", "--fixture-plans", panel.FixtureDirectory, "--data", data);
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Matches(@"batch \d+: uninstall on 3 hosts handed to the panel, 5 at a time \(follow it: controlpanel runs --batch \d+\)", again.Stdout);
    }

    static string WritePassword(string root)
    {
        var file = Path.Combine(root, "faasd-password");
        File.WriteAllText(file, "one password for every host\n");
        return file;
    }

    static async Task<List<RunRecord>> WaitForRunsAsync(string data, long batchId, Func<List<RunRecord>, bool> until, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            await using (var db = ControlPanelDb.Open(data))
            {
                var runs = await db.Runs.AsNoTracking().Where(r => r.BatchId == batchId).OrderBy(r => r.Id).ToListAsync();
                if (until(runs)) return runs;
                Assert.True(DateTime.UtcNow < deadline, $"not within 2 minutes: {what}; runs: " + string.Join(", ", runs.Select(r => $"{r.Id}:{r.HostName}:{r.State}")));
            }
            await Task.Delay(200);
        }
    }
}
