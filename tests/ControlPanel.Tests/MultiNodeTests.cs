using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Stages;
using ControlPanel.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>
/// Two panel nodes (two `serve` processes of the test panel) on one real PostgreSQL (a throw-away cluster of Debian's
/// postgresql) and one data directory (standing for the shared storage the README asks for). A batch started in node
/// A's page runs on both; node A is SIGKILLed while it executes hosts; node B resumes A's runs from their stage,
/// executes the batch's waiting hosts, and serves the same signed-in browser. The hosts are 20 ports of Debian's sshd on
/// loopback running the FIXTURE plans (harmless stages, each host with its own state).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class MultiNodeTests(BrowserFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    void Mark(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");

    const int HostCount = 20;
    const int Parallel = 10;
    readonly List<PanelServer> nodes = [];
    readonly List<LoopbackSshd> sshds = [];
    IBrowserContext? context;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (context is not null) await context.CloseAsync();
        // B first: A's directory (the shared one) goes with A.
        foreach (var node in Enumerable.Reverse(nodes)) await node.DisposeAsync();
        foreach (var sshd in sshds) await sshd.DisposeAsync();
    }

    [Fact]
    public async Task A_batch_spreads_over_two_nodes_and_the_node_left_finishes_what_the_killed_one_ran()
    {
        var database = await PostgresPeer.NewDatabaseAsync();
        var a = await PanelServer.StartAsync(null, "--database", database, "--node", "node-a");
        nodes.Add(a);
        var b = await PanelServer.StartAsync(a.Root, "--database", database, "--node", "node-b");
        nodes.Add(b);
        var data = a.DataDirectory;
        Mark("two nodes up");

        // The hosts: two sshds on 10 ports each, imported and their keys pinned as a user does.
        for (var i = 0; i < 2; i++) sshds.Add(await LoopbackSshd.StartAsync(HostCount / 2));
        var hosts = sshds.SelectMany(s => s.Ports.Select(port => (Sshd: s, Port: port))).Select((h, i) => (Name: $"h{i + 1:00}", h.Sshd, h.Port)).ToList();
        var inventory = Path.Combine(a.Root, "hosts.txt");
        File.WriteAllLines(inventory, hosts.Select(h => $"{h.Name} {Environment.UserName}@127.0.0.1:{h.Port} key={h.Sshd.ClientKey}"));
        var import = await Cli.Cli.RunTestPanelAsync("hosts", "import", inventory, "--data", data);
        Assert.True(import.ExitCode == 0, import.Stdout + import.Stderr);
        using (var gate = new SemaphoreSlim(4))
            await Task.WhenAll(hosts.Select(async h =>
            {
                await gate.WaitAsync();
                try
                {
                    var trust = await Cli.Cli.RunTestPanelAsync("hosts", "trust", h.Name, "--yes", "--fingerprint", await h.Sshd.HostKeyFingerprintAsync(), "--data", data);
                    Assert.True(trust.ExitCode == 0, trust.Stdout + trust.Stderr);
                }
                finally { gate.Release(); }
            }));
        Mark($"{HostCount} hosts imported and trusted");
        // Each host's containerd stage takes 3 s: at any moment a few hosts are in the middle of a stage.
        a.SetFixture("sleep-containerd", "3");

        // Signed in on node A, the batch started from A's Hosts page.
        context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(await a.SetupUrl.WaitAsync(TimeSpan.FromSeconds(30)));
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", PanelTestBase.AdminPassword);
        await page.FillAsync("#confirm", PanelTestBase.AdminPassword);
        await page.ClickAsync("#setup-submit");
        await page.WaitForURLAsync(a.BaseUrl + "/");
        await page.GotoAsync(a.BaseUrl + "/hosts");
        await Ready(page);
        await page.Locator("[data-test='select-shown']").ClickAsync();
        foreach (var (field, value) in new[] { ("#fleet-domain", "panel.example.com"), ("#fleet-email", "admin@example.com"),
                     ("#fleet-password", "one password for every host"), ("#fleet-parallel", Parallel.ToString()) })
        {
            await page.FillAsync(field, value);
            await page.Locator(field).PressAsync("Tab");
        }
        await Expect(page.Locator("[data-test='fleet-selected']")).ToContainTextAsync($"h{HostCount}");
        await page.Locator("[data-test='fleet-preview']").ClickAsync();
        await Expect(page.Locator("[data-test='fleet-preview-host']")).ToHaveCountAsync(HostCount, new() { Timeout = 120_000 });
        await Expect(page.Locator("[data-test='fleet-preview-host'][data-outcome='fail']")).ToHaveCountAsync(0);
        Mark("previewed on every host");
        await page.Locator("[data-test='fleet-launch']").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/batches/\d+$"));
        var batchId = long.Parse(page.Url.Split('/')[^1]);

        // Kill A while it executes hosts (and B executes others), once it has finished one: the batch then shows both nodes.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        List<long> onA;
        while (true)
        {
            var running = await RunsAsync(data, batchId);
            onA = running.Where(r => r.State == RunState.Running && r.Node == "node-a").Select(r => r.Id).ToList();
            if (onA.Count > 0 && running.Any(r => r.State == RunState.Running && r.Node == "node-b")
                && running.Any(r => r.State == RunState.Succeeded && r.Node == "node-a")) break;
            Assert.True(DateTime.UtcNow < deadline, "the batch never ran on both nodes at once: " + Describe(running));
            await Task.Delay(100);
        }
        // Node B's page follows the live log of a run node A executes (read from the shared data directory).
        var watcher = await context.NewPageAsync();
        await watcher.GotoAsync($"{b.BaseUrl}/runs/{onA[0]}");
        await Ready(watcher);
        await Expect(watcher.Locator("[data-test='live-log']")).Not.ToHaveAttributeAsync("data-count", "0");
        await watcher.CloseAsync();
        await a.KillAsync();
        var killedAt = DateTime.UtcNow;
        Mark($"node A killed while it ran {string.Join(", ", onA)}");

        // The same browser, now on node B: its sign-in holds there (sessions and keys are shared).
        await page.GotoAsync($"{b.BaseUrl}/batches/{batchId}");
        await Ready(page);
        Assert.EndsWith($"/batches/{batchId}", page.Url);
        var until = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var now = await RunsAsync(data, batchId);
            if (now.Count == HostCount && now.All(r => r.State.IsDone() || r.State is RunState.Failed or RunState.Cancelled or RunState.Interrupted)) break;
            Assert.True(DateTime.UtcNow < until, "the batch did not end within 3 minutes of the kill: " + Describe(now)
                + "\nnode B:\n" + string.Join('\n', b.Console.Split('\n').TakeLast(40)));
            await Task.Delay(250);
        }
        await Expect(page.Locator("tr[data-state='Succeeded']")).ToHaveCountAsync(HostCount);

        Mark("every host succeeded");
        var runs = await RunsAsync(data, batchId);
        // Every host's run, once: none twice, none lost.
        Assert.Equal(HostCount, runs.Count);
        Assert.Equal(HostCount, runs.Select(r => r.HostSpec).Distinct().Count());
        Assert.All(runs, r => Assert.Equal(RunState.Succeeded, r.State));
        await using (var db = ControlPanelDb.Open(data))
        {
            var ends = await db.RunEvents.AsNoTracking().Where(e => e.StageIndex == null && e.State == RunState.Succeeded && runs.Select(r => r.Id).Contains(e.RunId))
                .GroupBy(e => e.RunId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal(HostCount, ends.Count);
            Assert.All(ends, e => Assert.Equal(1, e.Count));
            // A's runs cut off by the kill (those it was executing then: their history says Interrupted), finished by B,
            // resumed within 30 s of the kill.
            var cut = await db.RunEvents.AsNoTracking().Where(e => e.StageIndex == null && e.State == RunState.Interrupted && runs.Select(r => r.Id).Contains(e.RunId))
                .Select(e => e.RunId).Distinct().ToListAsync();
            Assert.NotEmpty(cut);
            foreach (var id in cut)
            {
                var run = runs.Single(r => r.Id == id);
                Assert.Equal("node-b", run.Node);
                Assert.Equal(2, run.Attempts);
                var resumedAt = await db.RunEvents.AsNoTracking().Where(e => e.RunId == id && e.StageIndex == null && e.State == RunState.Queued)
                    .OrderBy(e => e.Id).Select(e => e.At).Skip(1).FirstAsync();
                Assert.True(resumedAt - killedAt < TimeSpan.FromSeconds(30), $"run {id} resumed {(resumedAt - killedAt).TotalSeconds:0.0} s after the kill");
            }
        }
        Assert.Contains(runs, r => r.Node == "node-a");
        // Every host went through every stage of its own.
        foreach (var run in runs)
        {
            var state = Directory.GetDirectories(Path.Combine(a.FixtureDirectory, "state", "hosts")).Single(d => Path.GetFileName(d).EndsWith("_" + run.HostSpec.Split(':')[^1], StringComparison.Ordinal));
            Assert.Equal(7, Directory.GetFiles(state, "*.done").Length);
        }
        // The batch page says which node ran which host.
        var shown = await page.Locator("[data-test='host-node']").AllTextContentsAsync();
        Assert.Equal(runs.OrderBy(r => r.HostName).Select(r => r.Node), shown.Select(s => s.Trim()));
        await Chromium.ScreenshotAsync(page, "90-batch-two-nodes");
        var json = JsonDocument.Parse((await Cli.Cli.RunTestPanelAsync("runs", "--batch", batchId.ToString(), "--json", "--data", data)).Stdout).RootElement;
        Assert.Equal(runs.OrderBy(r => r.HostName).Select(r => r.Node), json.GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("node").GetString()));
    }

    static Task Ready(IPage page) => page.Locator("body[data-ready='1']").WaitForAsync();

    static async Task<List<RunRecord>> RunsAsync(string data, long batchId)
    {
        await using var db = ControlPanelDb.Open(data);
        return await db.Runs.AsNoTracking().Where(r => r.BatchId == batchId).OrderBy(r => r.Id).ToListAsync();
    }

    static string Describe(IEnumerable<RunRecord> runs) => string.Join(", ", runs.Select(r => $"{r.Id}:{r.State}@{r.Node}"));
}
