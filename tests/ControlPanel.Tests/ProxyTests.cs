using System.Text.Json;
using ControlPanel.TestPeers;
using ControlPanel.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>
/// The proxy page against Debian's real nginx in a private prefix on loopback (the panel is pointed at it with the
/// hidden `serve --nginx-target`): edit, diff, apply, proxy for real; a hostile value and an nginx refusal.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ProxyTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    const string Domain = "panel.test";
    readonly NginxPrefix nginx = NginxPrefix.Create();
    readonly NginxTestUpstream app = NginxTestUpstream.Start("app");
    readonly int httpsPort = LoopbackPorts.Tcp();
    NginxTestCertificate certificate = default!;

    string SitePath => Path.Combine(nginx.SiteDirectory, "controlpanel.conf");

    protected override string[] ServerArguments
    {
        get
        {
            var file = Path.Combine(nginx.Prefix, "target.json");
            File.WriteAllText(file, JsonSerializer.Serialize(nginx.Target(LoopbackPorts.Tcp(), httpsPort)));
            return ["--nginx-target", file];
        }
    }

    protected override async Task BeforePanelAsync()
    {
        // With a certificate in place the routes render (without one, port 80 serves only the ACME challenge).
        certificate = NginxTestCertificate.Write(nginx.CertificateRoot, Domain);
        await nginx.StartAsync();
    }

    protected override Task AfterPanelAsync() => SetUpAdminAsync();

    public override async Task DisposeAsync()
    {
        try { await base.DisposeAsync(); }
        finally
        {
            await nginx.DisposeAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task EditPreviewApply_ProxiesTheNewRoute_HostileValueNamesTheField_AndNginxRefusalShowsItsError()
    {
        await GoAsync("/proxy");
        await Expect(Page.Locator("[data-test='routes'] tr[data-route]")).ToHaveCountAsync(4);
        await Expect(Page.Locator("#route-1-path")).ToHaveValueAsync("/pai/");
        await Page.FillAsync("#proxy-domain", Domain);
        await Page.FillAsync("#route-1-upstream", app.Url + "/");
        await Test("proxy-preview").ClickAsync();
        await Expect(Test("proxy-diff")).ToContainTextAsync("+++ b" + SitePath);
        await Expect(Test("proxy-diff").Locator("span.add", new() { HasTextString = $"proxy_pass {app.Url}/;" })).ToHaveCountAsync(1);
        Assert.False(File.Exists(SitePath));
        await Chromium.ScreenshotAsync(Page, "50-proxy-diff");

        await Test("proxy-apply").ClickAsync();
        await Expect(Test("proxy-applied")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(Test("proxy-diff-empty")).ToBeVisibleAsync();
        // The apply was a run like any other: logged and listed, under the host lock.
        await Expect(Test("proxy-run")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/runs/\d+$"));
        var applied = File.ReadAllText(SitePath);
        Assert.Contains($"proxy_pass {app.Url}/;", applied);
        using (var http = new HttpClient(NginxTestCertificate.LoopbackHandler(certificate)) { Timeout = TimeSpan.FromSeconds(10) })
            Assert.Contains("upstream=app\npath=/hello", await http.GetStringAsync($"https://{Domain}:{httpsPort}/pai/hello"));
        await Chromium.ScreenshotAsync(Page, "51-proxy-applied");

        // A value that would end an nginx directive is refused before anything is rendered, naming the field.
        await Page.FillAsync("#route-1-path", "/a;b");
        await Test("proxy-preview").ClickAsync();
        await Expect(Page.Locator("[data-test='error-routes[1].path']")).ToContainTextAsync("Route 2 Path: must be a path like /app/");
        await Expect(Test("proxy-apply")).ToBeDisabledAsync();
        await Chromium.ScreenshotAsync(Page, "52-proxy-hostile");

        // nginx itself refuses (it cannot resolve the upstream): its message with file:line, the old file stays.
        await Page.FillAsync("#route-1-path", "/pai/");
        await Page.FillAsync("#route-1-upstream", "http://nosuch.invalid:8080/");
        await Test("proxy-preview").ClickAsync();
        await Expect(Test("proxy-diff")).ToContainTextAsync("nosuch.invalid");
        await Test("proxy-apply").ClickAsync();
        await Expect(Test("nginx-error")).ToContainTextAsync("host not found in upstream", new() { Timeout = 30_000 });
        await Expect(Test("nginx-error")).ToContainTextAsync(SitePath + ":");
        await Expect(Test("proxy-error")).ToContainTextAsync("nginx rejected the configuration");
        Assert.Equal(applied, File.ReadAllText(SitePath));
        Assert.DoesNotContain("nosuch.invalid", File.ReadAllText(Path.Combine(Server.DataDirectory, "proxy", "routes.json")));
        await Test("nginx-error").ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(Page, "53-proxy-nginx-refused");

        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='proxy-apply']")).ToHaveCountAsync(2);

        await Test("lang-zh").ClickAsync();
        await Expect(Test("nav-proxy")).ToHaveTextAsync("反向代理");
        await GoAsync("/proxy");
        await Page.FillAsync("#route-0-upstream", "ftp://x");
        await Test("proxy-preview").ClickAsync();
        await Expect(Page.Locator("[data-test='error-routes[0].upstream']")).ToHaveTextAsync("路由 1 上游地址: 必须以 http:// 或 https:// 开头");
        await Chromium.ScreenshotAsync(Page, "54-proxy-chinese");
    }
}
