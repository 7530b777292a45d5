using ControlPanel.Engine.Cache;
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

    protected override Task AfterPanelAsync() => SetUpAdminAsync();

    async Task<LoopbackSshd> AddHostInPageAsync(string name, string labels = "pi, edge")
    {
        var sshd = await LoopbackSshd.StartAsync();
        servers.Add(sshd);
        await Page.FillAsync("#host-name", name);
        await Page.FillAsync("#host-address", $"{Environment.UserName}@127.0.0.1:{sshd.Port}");
        await Page.FillAsync("#host-key", sshd.ClientKey);
        await Page.FillAsync("#host-labels", labels);
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
        // Pinning signs in once, as a run will: the row says the panel got in, and what the host is.
        var connection = Page.Locator($"tr[data-host='{name}'] [data-test='connection']");
        await Expect(connection).ToHaveAttributeAsync("data-ok", "yes");
        await Expect(connection).ToContainTextAsync("signed in: ");
        await Expect(connection).ToContainTextAsync("Linux");
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

        // edge2 is down during the batch: it fails, edge1 goes through. Its connection test says so first.
        await edge2.StopAsync();
        await Page.Locator("tr[data-host='edge2'] [data-test='test-connection']").ClickAsync();
        await Expect(Page.Locator("tr[data-host='edge2'] [data-test='connection']")).ToHaveAttributeAsync("data-ok", "no");
        await Expect(Page.Locator("tr[data-host='edge2'] [data-test='connection']")).ToContainTextAsync("Connection refused");
        var cli = await Cli.Cli.RunTestPanelAsync("install", "-d", "panel.example.com", "-m", "a@example.com", "--yes", "--data", Server.DataDirectory,
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

    [Fact]
    public async Task A_host_whose_user_cannot_sign_in_says_so_when_its_key_is_pinned()
    {
        await GoAsync("/hosts");
        var sshd = await LoopbackSshd.StartAsync();
        servers.Add(sshd);
        await Page.FillAsync("#host-name", "wrong-user");
        await Page.FillAsync("#host-address", $"nosuchuser@127.0.0.1:{sshd.Port}");
        await Page.FillAsync("#host-key", sshd.ClientKey);
        await Test("add-host").ClickAsync();
        await Page.Locator("tr[data-host='wrong-user'] [data-test='trust']").ClickAsync();
        await Test("trust-confirm").ClickAsync();

        var connection = Page.Locator("tr[data-host='wrong-user'] [data-test='connection']");
        await Expect(connection).ToHaveAttributeAsync("data-ok", "no");
        await Expect(connection).ToContainTextAsync("could not sign in over SSH");
        await Expect(connection).ToContainTextAsync("Permission denied");
        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='host-test']")).ToContainTextAsync("wrong-user: could not sign in");
        await Chromium.ScreenshotAsync(Page, "74-hosts-sign-in-failed");
    }

    [Fact]
    public async Task A_plan_is_launched_from_the_page_on_the_selected_hosts_and_a_failing_host_does_not_stop_the_other()
    {
        await GoAsync("/hosts");
        var edge1 = await AddHostInPageAsync("edge1", "edge");
        var edge2 = await AddHostInPageAsync("edge2", "edge, pi");
        await AddHostInPageAsync("lab1", "lab");
        await TrustInPageAsync("edge1", edge1);
        await TrustInPageAsync("edge2", edge2);

        // Nothing selected, then a host whose key was never pinned: refused naming the hosts, nothing started.
        await Page.FillAsync("#fleet-domain", "panel.example.com");
        await Page.FillAsync("#fleet-email", "admin@example.com");
        await Page.FillAsync("#fleet-password", "fleet password 1");
        await Test("fleet-preview").ClickAsync();
        await Expect(Test("error-hosts")).ToHaveTextAsync("Hosts: names no host");
        await Page.Locator("tr[data-host='lab1'] [data-test='select-host']").CheckAsync();
        await Test("fleet-preview").ClickAsync();
        await Expect(Test("error-hosts")).ToContainTextAsync("has no pinned host key yet");
        await Test("select-none").ClickAsync();

        // The label filter shows the edge hosts only; "select shown" picks exactly them.
        await Page.FillAsync("#host-filter", "edge");
        await Expect(Test("hosts").Locator("tbody tr")).ToHaveCountAsync(2);
        await Test("select-shown").ClickAsync();
        await Page.FillAsync("#host-filter", "");
        await Expect(Test("hosts").Locator("tbody tr")).ToHaveCountAsync(3);
        await Expect(Test("fleet-selected")).ToHaveTextAsync("edge1, edge2");
        await Expect(Page.Locator("tr[data-host='lab1'] [data-test='select-host']")).Not.ToBeCheckedAsync();

        await Page.FillAsync("#fleet-parallel", "0");
        await Test("fleet-preview").ClickAsync();
        await Expect(Test("error-parallel")).ToHaveTextAsync("At a time: must be between 1 and 64");
        await Page.FillAsync("#fleet-parallel", "2");
        await Expect(Test("fleet-launch")).ToBeDisabledAsync();

        // edge2 is down: its preview says so, edge1's is the plan; a changed input needs a new preview.
        await edge2.StopAsync();
        await Test("fleet-preview").ClickAsync();
        await Expect(Page.Locator("[data-test='fleet-preview-host'][data-host='edge1']")).ToHaveAttributeAsync("data-outcome", "ok", new() { Timeout = 90_000 });
        await Expect(Page.Locator("[data-test='fleet-preview-host'][data-host='edge1']")).ToContainTextAsync("7 to apply, 0 to skip");
        await Expect(Page.Locator("[data-test='fleet-preview-host'][data-host='edge2']")).ToHaveAttributeAsync("data-outcome", "fail");
        await Expect(Page.Locator("[data-test='fleet-preview-host'][data-host='edge2']")).ToContainTextAsync("Connection refused");
        await Expect(Test("fleet-preview-host")).ToHaveCountAsync(2);
        await Page.FillAsync("#fleet-parallel", "3");
        await Page.Locator("#fleet-domain").ClickAsync();
        await Expect(Test("fleet-launch")).ToBeDisabledAsync();
        await Page.FillAsync("#fleet-parallel", "2");
        await Page.Locator("#fleet-domain").ClickAsync();
        await Expect(Test("fleet-launch")).ToBeEnabledAsync();
        await Page.Locator("[data-test='fleet-preview-host'][data-host='edge1'] summary").ClickAsync();
        await Chromium.ScreenshotAsync(Page, "74-hosts-fleet-preview");

        // The launch: edge2 fails on its own, edge1 goes through; the page lands on the batch.
        await Test("fleet-launch").ClickAsync();
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/batches/\d+$"));
        await ReadyAsync(Page);
        await Expect(Test("batch-hosts").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(Page.Locator("tr[data-host='edge1']")).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 90_000 });
        await Expect(Page.Locator("tr[data-host='edge2']")).ToHaveAttributeAsync("data-state", "Failed", new() { Timeout = 90_000 });
        await Expect(Page.Locator("tr[data-host='edge2']")).ToContainTextAsync("Connection refused");
        await Expect(Page.Locator("tr[data-host='edge1'] .stage-count")).ToHaveTextAsync("7/7");
        await Expect(Page.Locator(".page-note").First).ToContainTextAsync("2 at a time");
        await Chromium.ScreenshotAsync(Page, "75-batch-launched-from-page");

        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='fleet-start']")).ToContainTextAsync("install on edge1, edge2, 2 at a time");
    }

    /// <summary>Two trusted hosts labelled "edge", both selected for the launch.</summary>
    async Task<(LoopbackSshd Edge1, LoopbackSshd Edge2)> SelectTwoTrustedHostsAsync()
    {
        await GoAsync("/hosts");
        var edge1 = await AddHostInPageAsync("edge1", "edge");
        var edge2 = await AddHostInPageAsync("edge2", "edge");
        await TrustInPageAsync("edge1", edge1);
        await TrustInPageAsync("edge2", edge2);
        await Test("select-shown").ClickAsync();
        await Expect(Test("fleet-selected")).ToHaveTextAsync("edge1, edge2");
        return (edge1, edge2);
    }

    ILocator HostPreview(string host) => Page.Locator($"[data-test='fleet-preview-host'][data-host='{host}']");

    [Fact]
    public async Task A_batch_is_cancelled_from_its_page_its_running_host_is_cancelled_and_its_waiting_host_never_starts()
    {
        await SelectTwoTrustedHostsAsync();
        await Page.FillAsync("#fleet-domain", "panel.example.com");
        await Page.FillAsync("#fleet-email", "admin@example.com");
        await Page.FillAsync("#fleet-password", "fleet password 1");
        await Page.FillAsync("#fleet-parallel", "1");
        await Test("fleet-preview").ClickAsync();
        await Expect(HostPreview("edge2")).ToHaveAttributeAsync("data-outcome", "ok", new() { Timeout = 90_000 });

        // One host at a time, and the first one's first stage holds: the other host waits for its slot.
        Server.SetFixture("hold-preflight", "");
        try
        {
            await Test("fleet-launch").ClickAsync();
            await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/batches/\d+$"));
            await ReadyAsync(Page);
            var runningRow = Test("batch-hosts").Locator("tbody tr[data-state='Running']");
            await Expect(runningRow).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            await Expect(Test("batch-hosts").Locator("tbody tr[data-state='Waiting']")).ToHaveCountAsync(1);
            var running = await runningRow.GetAttributeAsync("data-host");
            var waiting = running == "edge1" ? "edge2" : "edge1";
            await Expect(Test("rerun-failed")).ToHaveCountAsync(0);
            await Chromium.ScreenshotAsync(Page, "76-batch-open-cancel");

            // The confirmation can be declined: nothing is cancelled.
            await Test("cancel-batch").ClickAsync();
            await Expect(Page.Locator(".mud-dialog")).ToContainTextAsync("waiting hosts never start");
            await Chromium.ScreenshotAsync(Page, "77-batch-cancel-confirm");
            await Page.Locator(".mud-dialog button:has-text('Back')").ClickAsync();
            await Expect(Page.Locator($"tr[data-host='{running}']")).ToHaveAttributeAsync("data-state", "Running");

            await Test("cancel-batch").ClickAsync();
            await Page.Locator(".mud-dialog button:has-text('Cancel the batch')").ClickAsync();
            await Expect(Page.Locator($"tr[data-host='{running}']")).ToHaveAttributeAsync("data-state", "Cancelled", new() { Timeout = 30_000 });
            await Expect(Page.Locator($"tr[data-host='{waiting}']")).ToHaveAttributeAsync("data-state", "NotStarted", new() { Timeout = 30_000 });
            await Expect(Page.Locator($"tr[data-host='{waiting}'] [data-test='host-run']")).ToHaveCountAsync(0);
            await Expect(Test("cancel-batch")).ToHaveCountAsync(0);
            await Expect(Test("rerun-failed")).ToBeVisibleAsync();
            await Chromium.ScreenshotAsync(Page, "78-batch-cancelled");
        }
        finally { Server.ClearFixture("hold-preflight"); }

        // As the database says it after a reload: one run, the other host never started.
        await GoAsync(new Uri(Page.Url).AbsolutePath);
        await Expect(Test("batch-hosts").Locator("tbody tr[data-state='NotStarted']")).ToHaveCountAsync(1);
        await Expect(Test("batch-hosts").Locator("[data-test='host-run']")).ToHaveCountAsync(1);

        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='batch-cancel']")).ToContainTextAsync("2 open host(s)");
    }

    [Fact]
    public async Task The_registry_cache_is_launched_on_the_selected_hosts_with_the_cache_forms_validation_and_a_preview_per_host()
    {
        var (edge1, edge2) = await SelectTwoTrustedHostsAsync();
        await ChooseAsync("fleet-plan", CacheRequest.InstallKind);

        // The cache form's own validation, naming its field.
        await Page.FillAsync("#cache-upstream", "ftp://registry.example.com");
        await Test("fleet-preview").ClickAsync();
        await Expect(Test("error-upstream")).ToHaveTextAsync("Upstream registry: is not an http:// or https:// URL");
        await Page.FillAsync("#cache-upstream", "http://127.0.0.1:5999/v2");
        await Test("fleet-preview").ClickAsync();
        await Expect(Test("error-upstream")).ToContainTextAsync("must be the registry's root URL");
        await Page.FillAsync("#cache-upstream", "http://127.0.0.1:5999");
        await Page.FillAsync("#cache-listen", "5000");
        await Test("fleet-preview").ClickAsync();
        await Expect(Test("error-listen")).ToHaveTextAsync("Listen address: must be host:port or :port");
        await Page.FillAsync("#cache-listen", "127.0.0.1:5998");
        await Page.FillAsync("#cache-storage", "/var/lib/controlpanel-fleet-test-cache");
        await Page.FillAsync("#cache-username", "edge");
        await Test("fleet-preview").ClickAsync();
        await Expect(Test("error-upstreampassword")).ToContainTextAsync("is required with the other");
        await Expect(Test("fleet-launch")).ToBeDisabledAsync();

        // The uninstall plan previews on each host too.
        await ChooseAsync("fleet-plan", CacheRequest.UninstallKind);
        await Test("fleet-preview").ClickAsync();
        foreach (var host in new[] { "edge1", "edge2" })
            await Expect(HostPreview(host).Locator("[data-stage='pull-through-cache-uninstall']")).ToHaveCountAsync(1, new() { Timeout = 90_000 });

        // With the upstream account: a dry run per host (read-only over SSH), the password nowhere on the page.
        await ChooseAsync("fleet-plan", CacheRequest.InstallKind);
        await Expect(Test("fleet-launch")).ToBeDisabledAsync();
        await Page.FillAsync("#cache-password", "s3cret-fleet-upstream");
        await Test("fleet-preview").ClickAsync();
        foreach (var host in new[] { "edge1", "edge2" })
        {
            await Expect(HostPreview(host).Locator("[data-stage='pull-through-cache']")).ToHaveCountAsync(1, new() { Timeout = 90_000 });
            await Expect(HostPreview(host).Locator("[data-stage='cache-package']")).ToHaveCountAsync(1);
        }
        await Expect(Test("fleet-preview-host")).ToHaveCountAsync(2);
        await HostPreview("edge1").Locator("summary").ClickAsync();
        Assert.DoesNotContain("s3cret-fleet-upstream", await Page.Locator("body").InnerTextAsync());
        await Chromium.ScreenshotAsync(Page, "79-hosts-fleet-cache-preview");

        // The hosts are this machine over loopback SSH: a real install would change its apt packages and
        // /etc/docker/registry, so they are down at the launch; each fails on its own with the engine's message.
        await edge1.StopAsync();
        await edge2.StopAsync();
        await Expect(Test("fleet-launch")).ToBeEnabledAsync();
        await Test("fleet-launch").ClickAsync();
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/batches/\d+$"));
        await ReadyAsync(Page);
        foreach (var host in new[] { "edge1", "edge2" })
        {
            await Expect(Page.Locator($"tr[data-host='{host}']")).ToHaveAttributeAsync("data-state", "Failed", new() { Timeout = 90_000 });
            await Expect(Page.Locator($"tr[data-host='{host}']")).ToContainTextAsync("Connection refused");
        }
        await Expect(Page.Locator("h1")).ToContainTextAsync("Install registry cache");
        await Chromium.ScreenshotAsync(Page, "80-batch-cache-failed-per-host");

        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='fleet-start']")).ToContainTextAsync("cache-install on edge1, edge2, 5 at a time");
        Assert.DoesNotContain("s3cret-fleet-upstream", await Page.Locator("body").InnerTextAsync());
    }

    public new async Task DisposeAsync()
    {
        foreach (var s in servers) await s.DisposeAsync();
        await base.DisposeAsync();
    }
}
