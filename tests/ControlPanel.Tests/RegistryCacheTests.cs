using ControlPanel.Engine.Cache;
using ControlPanel.TestPeers;
using ControlPanel.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>
/// The registry cache page in a real browser against a panel whose "this machine" is <see cref="PrivateEtc"/>: the
/// preview shows the config.yml diff and changes nothing, the install run writes the config and starts Debian's real
/// docker-registry in proxy mode in front of an upstream registry of the test, the uninstall puts the packaged file back.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class RegistryCacheTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    readonly PrivateEtc etc = new();
    RegistryPeer upstream = default!;
    string ConfigFile => Path.Combine(etc.Docker, "registry", "config.yml");

    protected override IReadOnlyList<string> ServerWrapper => etc.Wrapper;

    protected override async Task BeforePanelAsync()
    {
        Directory.CreateDirectory(Path.Combine(etc.Docker, "registry"));
        File.Copy("/etc/docker/registry/config.yml", ConfigFile);
        Directory.CreateDirectory(Path.Combine(etc.Root, "upstream"));
        upstream = await RegistryPeer.StartPlainAsync(Path.Combine(etc.Root, "upstream"));
    }

    protected override Task AfterPanelAsync() => SetUpAdminAsync();

    public override async Task DisposeAsync()
    {
        try { await base.DisposeAsync(); }
        finally
        {
            if (upstream is not null) await upstream.DisposeAsync();
            etc.Dispose();
        }
    }

    [Fact]
    public async Task Install_previews_the_config_diff_then_runs_the_cache_and_uninstall_puts_the_packaged_config_back()
    {
        var packaged = File.ReadAllText(ConfigFile);
        await GoAsync("/registry-cache");
        await Expect(Test("cache-status")).ToHaveAttributeAsync("data-installed", "no");
        await Expect(Test("cache-state")).ToHaveTextAsync("docker-registry is installed but not configured as our cache");
        await Expect(Test("cache-expiry")).ToContainTextAsync(RegistryCacheConfig.ExpiryPolicy);
        await Expect(Test("cache-expiry")).ToContainTextAsync("deleted 7 days after it was pulled");

        // Bad input is refused naming the field, before any preview. Each field is left (Tab) before the click: that
        // commits it (a change event), as a user's Tab does; a click racing the change once previewed the earlier value.
        await Page.FillAsync("#cache-listen", "5000");
        await Page.PressAsync("#cache-listen", "Tab");
        await Test("cache-install-preview").ClickAsync();
        await Expect(Test("error-listen")).ToHaveTextAsync("Listen address: must be host:port or :port");
        await Expect(Test("cache-install-start")).ToBeDisabledAsync();
        await Page.FillAsync("#cache-storage", "/var/lib");
        await Page.FillAsync("#cache-listen", ":5000");
        await Page.PressAsync("#cache-listen", "Tab");
        await Test("cache-install-preview").ClickAsync();
        await Expect(Test("error-storage")).ToHaveTextAsync("Storage folder: is a system folder; give the cache its own folder");
        // The default serves every interface, as a cache for other hosts must: said plainly beside the field.
        await Expect(Test("cache-listen-open")).ToContainTextAsync("the cache listens on every interface: any machine that reaches port 5000 of this host can pull through it");

        // An upstream account: the password is a secret, never shown in the preview (config.yml becomes 0640, its diff hidden).
        var port = LoopbackPorts.Tcp();
        var storage = Path.Combine(etc.Root, "cache-storage");
        await Page.FillAsync("#cache-upstream", upstream.BaseUrl);
        await Page.FillAsync("#cache-listen", $"127.0.0.1:{port}");
        await Page.FillAsync("#cache-storage", storage);
        await Page.FillAsync("#cache-username", "edge");
        await Page.PressAsync("#cache-username", "Tab");
        await Test("cache-install-preview").ClickAsync();
        await Expect(Test("error-upstreampassword")).ToContainTextAsync("Upstream password: is required with the other");
        await Expect(Test("cache-listen-open")).ToHaveCountAsync(0);
        await Page.FillAsync("#cache-password", "s3cret-upstream-pw");
        await Page.PressAsync("#cache-password", "Tab");
        await Test("cache-install-preview").ClickAsync();
        await Expect(Test("cache-install-preview-result").Locator("[data-stage='pull-through-cache']")).ToBeVisibleAsync();
        Assert.DoesNotContain("s3cret-upstream-pw", await Page.Locator("body").InnerTextAsync());

        // Without the account: the preview is the config diff, and nothing changed on the host.
        await Page.FillAsync("#cache-username", "");
        await Page.FillAsync("#cache-password", "");
        // Leaving the field commits it (a change event) before the click, as a user's Tab does (CI once still showed the earlier preview after this click).
        await Page.PressAsync("#cache-password", "Tab");
        await Expect(Test("cache-install-start")).ToBeDisabledAsync();
        await Test("cache-install-preview").ClickAsync();
        var diff = Test("cache-install-preview-result").Locator("[data-stage='pull-through-cache'] .diff");
        await Expect(diff).ToContainTextAsync($"+  remoteurl: \"{upstream.BaseUrl}\"");
        await Expect(diff).ToContainTextAsync($"+  addr: \"127.0.0.1:{port}\"");
        Assert.Equal(packaged, File.ReadAllText(ConfigFile));
        Assert.False(Directory.Exists(storage));
        await Chromium.ScreenshotAsync(Page, "80-cache-preview");

        // The run: config written, Debian's registry serving the cache on the address asked for.
        await Test("cache-install-start").ClickAsync();
        await Expect(Page.Locator("[data-test='cache-install'] [data-test='tracked-run']")).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 90_000 });
        Assert.Contains($"remoteurl: \"{upstream.BaseUrl}\"", File.ReadAllText(ConfigFile));
        Assert.Contains($"rootdirectory: \"{storage}\"", File.ReadAllText(ConfigFile));
        Assert.Equal(packaged, File.ReadAllText(ConfigFile + ".controlpanel-backup"));
        Assert.True(etc.IsRunning("docker-registry"));
        using (var http = new HttpClient())
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/v2/")).StatusCode);
        await Expect(Test("cache-status")).ToHaveAttributeAsync("data-running", "yes");
        await Expect(Test("cache-upstream")).ToHaveTextAsync(upstream.BaseUrl);
        await Expect(Test("cache-listen")).ToHaveTextAsync($"127.0.0.1:{port}");
        await Expect(Test("cache-storage")).ToHaveTextAsync(storage);
        await Expect(Test("cache-hint")).ToContainTextAsync($"--mirror http://THIS-HOST:{port}");
        await Chromium.ScreenshotAsync(Page, "81-cache-installed");

        // Uninstall: previewed, then the packaged file is back, the registry stopped and what it cached removed.
        Directory.CreateDirectory(Path.Combine(storage, "docker", "registry", "v2"));
        File.WriteAllText(Path.Combine(storage, "docker", "registry", "v2", "cached-blob"), "pulled earlier");
        await Test("cache-uninstall-preview").ClickAsync();
        await Expect(Test("cache-uninstall-preview-result").Locator("[data-stage='pull-through-cache-uninstall'] .diff")).ToContainTextAsync($"-  remoteurl: \"{upstream.BaseUrl}\"");
        await Test("cache-uninstall-start").ClickAsync();
        await Expect(Page.Locator("[data-test='cache-uninstall'] [data-test='tracked-run']")).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 90_000 });
        await Expect(Test("cache-status")).ToHaveAttributeAsync("data-installed", "no");
        Assert.Equal(packaged, File.ReadAllText(ConfigFile));
        Assert.False(etc.IsRunning("docker-registry"));
        Assert.Empty(Directory.GetFileSystemEntries(storage));
        await Chromium.ScreenshotAsync(Page, "82-cache-uninstalled");

        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='cache-install']")).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='cache-uninstall']")).ToHaveCountAsync(1);
    }
}
