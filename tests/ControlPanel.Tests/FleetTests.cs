using ControlPanel.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>
/// The Hosts page and the batch view in a real browser. The hosts are Debian's sshd on loopback with throw-away keys;
/// the batch is started by the real CLI on the panel's data directory with the FIXTURE plans (harmless stages).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class FleetTests(BrowserFixture fixture) : PanelTestBase(fixture), IAsyncLifetime
{
    readonly List<LoopbackSshd> servers = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await SetUpAdminAsync();
    }

    async Task<LoopbackSshd> AddHostInPageAsync(string name)
    {
        var sshd = await LoopbackSshd.StartAsync();
        servers.Add(sshd);
        await Page.FillAsync("#host-name", name);
        await Page.FillAsync("#host-address", $"{Environment.UserName}@127.0.0.1:{sshd.Port}");
        await Page.FillAsync("#host-key", sshd.ClientKey);
        await Page.FillAsync("#host-labels", "pi, edge");
        await Test("add-host").ClickAsync();
        await Expect(Page.Locator($"tr[data-host='{name}']")).ToHaveAttributeAsync("data-trusted", "no");
        return sshd;
    }

    async Task TrustInPageAsync(string name, LoopbackSshd sshd)
    {
        await Page.Locator($"tr[data-host='{name}'] [data-test='trust']").ClickAsync();
        await Expect(Test("trust-dialog")).ToContainTextAsync(await sshd.HostKeyFingerprintAsync());
        await Test("trust-confirm").ClickAsync();
        await Expect(Page.Locator($"tr[data-host='{name}']")).ToHaveAttributeAsync("data-trusted", "yes");
    }

    [Fact]
    public async Task Hosts_are_added_trusted_after_the_fingerprint_and_a_batch_reruns_only_its_failed_host()
    {
        await GoAsync("/hosts");
        await Expect(Test("no-hosts")).ToBeVisibleAsync();
        await Page.FillAsync("#host-name", "edge0");
        await Page.FillAsync("#host-address", "ubuntu:raspberry@192.0.2.1");
        await Test("add-host").ClickAsync();
        await Expect(Test("hosts-error")).ToContainTextAsync("holds a password");

        var edge1 = await AddHostInPageAsync("edge1");
        var edge2 = await AddHostInPageAsync("edge2");
        await Page.Locator("tr[data-host='edge1'] [data-test='trust']").ClickAsync();
        await Expect(Test("trust-dialog").Locator("[data-test='offered-key']")).ToHaveCountAsync(1);
        await Chromium.ScreenshotAsync(Page, "70-hosts-trust-fingerprint");
        await Test("trust-cancel").ClickAsync();
        await Expect(Page.Locator("tr[data-host='edge1']")).ToHaveAttributeAsync("data-trusted", "no");
        await TrustInPageAsync("edge1", edge1);
        await TrustInPageAsync("edge2", edge2);
        await Expect(Page.Locator("tr[data-host='edge1'] .fingerprints")).ToHaveTextAsync(await edge1.HostKeyFingerprintAsync());

        // edge2 is down during the batch: it fails, edge1 goes through.
        await edge2.StopAsync();
        var cli = await Cli.Cli.RunAsync("install", "-d", "panel.example.com", "-m", "a@example.com", "--yes", "--data", Server.DataDirectory,
            "--fixture-plans", Server.FixtureDirectory, "--host", "edge1", "--host", "edge2");
        Assert.True(cli.ExitCode == 1, cli.Stdout + cli.Stderr);

        await GoAsync("/hosts");
        await Test("batches").Locator("a").First.ClickAsync();
        await Page.WaitForURLAsync(Server.BaseUrl + "/batches/1");
        await ReadyAsync(Page);
        await Expect(Page.Locator("tr[data-host='edge1']")).ToHaveAttributeAsync("data-state", "Succeeded");
        await Expect(Page.Locator("tr[data-host='edge2']")).ToHaveAttributeAsync("data-state", "Failed");
        await Expect(Page.Locator("tr[data-host='edge2']")).ToContainTextAsync("Connection refused");
        await Expect(Page.Locator("tr[data-host='edge1'] .stage-count")).ToHaveTextAsync("7/7");
        var edge1Run = await Page.Locator("tr[data-host='edge1'] [data-test='host-run']").TextContentAsync();
        await Chromium.ScreenshotAsync(Page, "71-batch-one-failed");

        // edge2 is back: re-run only the failed host from the page.
        await edge2.StartAgainAsync();
        await Test("rerun-failed").ClickAsync();
        await Expect(Page.Locator("tr[data-host='edge2']")).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 90_000 });
        await Expect(Test("rerun-failed")).ToHaveCountAsync(0);
        Assert.Equal(edge1Run, await Page.Locator("tr[data-host='edge1'] [data-test='host-run']").TextContentAsync());
        await Chromium.ScreenshotAsync(Page, "72-batch-rerun-failed");
        await Page.Locator("tr[data-host='edge2'] [data-test='host-run']").ClickAsync();
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/runs/\d+$"));

        // A host key that changes afterwards is refused loudly in the page too.
        await edge2.RestartWithNewHostKeyAsync();
        await GoAsync("/hosts");
        await Page.Locator("tr[data-host='edge2'] [data-test='trust']").ClickAsync();
        await Expect(Test("hosts-error")).ToContainTextAsync("HAS CHANGED");
        await Expect(Test("trust-dialog")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(Page, "73-hosts-changed-key");
    }

    public new async Task DisposeAsync()
    {
        foreach (var s in servers) await s.DisposeAsync();
        await base.DisposeAsync();
    }
}
