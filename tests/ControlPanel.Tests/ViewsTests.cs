using ControlPanel.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>
/// The views people look at most (the dashboard, a run with its log, the install form with its preview, the hosts
/// list) on a desktop (1366×768) and a phone (390×844), in English and in Chinese: each shows what it is for in the
/// language asked, nothing scrolls sideways, and a screenshot of each goes to tests/artifacts/screenshots/views-*.png.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ViewsTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    static readonly (string Name, int Width, int Height)[] Screens = [("desktop", 1366, 768), ("phone", 390, 844)];

    async Task ShootAsync(string screen, string language, string view)
    {
        await Page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
        await NoSidewaysScrollAsync($"{screen} {language} {view}");
        await Chromium.ScreenshotAsync(Page, $"views-{screen}-{language}-{view}");
    }

    [Fact]
    public async Task The_main_views_show_their_content_on_a_desktop_and_a_phone_in_both_languages()
    {
        await SetUpAdminAsync();
        var runId = await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");
        await GoAsync("/hosts");
        await Page.FillAsync("#host-name", "edge1");
        await Page.FillAsync("#host-address", "root@192.0.2.10:22");
        await Page.FillAsync("#host-labels", "pi,edge");
        await Test("add-host").ClickAsync();
        await Expect(Page.Locator("tr[data-host='edge1']")).ToBeVisibleAsync();

        foreach (var language in new[] { "en", "zh" })
        {
            if (language == "zh")
            {
                await GoAsync("/");
                await Test("lang-zh").ClickAsync();
                await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
            }
            var (dashboard, run, install, hosts) = language == "en"
                ? ("Dashboard", $"Run #{runId}", "Install the faasd stack", "Hosts")
                : ("仪表盘", $"任务 #{runId}", "安装 faasd 套件", "主机清单");
            foreach (var (screen, width, height) in Screens)
            {
                await Page.SetViewportSizeAsync(width, height);

                await GoAsync("/");
                await Expect(Page.Locator("h1")).ToHaveTextAsync(dashboard);
                await Expect(Test("install-state")).ToBeVisibleAsync();
                await ShootAsync(screen, language, "dashboard");

                await GoAsync($"/runs/{runId}");
                await Expect(Page.Locator("h1")).ToContainTextAsync(run);
                await Expect(Test("live-log").Locator(".ln").First).ToBeVisibleAsync();
                Assert.True(await LogCountAsync() > 0);
                await ShootAsync(screen, language, "run");

                await GoAsync("/install");
                await Expect(Page.Locator("h1")).ToHaveTextAsync(install);
                await Page.FillAsync("#domain", "panel.example.com");
                await Page.FillAsync("#email", "admin@example.com");
                await Test("preview-button").ClickAsync();
                await Expect(Test("preview").Locator("section.preview-stage").First).ToBeVisibleAsync();
                await ShootAsync(screen, language, "install-preview");

                await GoAsync("/hosts");
                await Expect(Page.Locator("h1")).ToHaveTextAsync(hosts);
                await Expect(Page.Locator("tr[data-host='edge1']")).ToContainTextAsync("pi,edge");
                await ShootAsync(screen, language, "hosts");
            }
        }
    }
}
