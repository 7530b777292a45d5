using System.Text.RegularExpressions;
using ControlPanel.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>
/// The panel on a phone (390×844): the navigation sits in a drawer behind the menu button, and no page scrolls
/// sideways, with the main flow walked (install, its run, the lists) and every other page opened.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class PhoneTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    static readonly string[] OtherPages = ["/hosts", "/registry-cache", "/mirrors", "/certificates", "/proxy", "/uninstall", "/settings", "/sessions", "/audit", "/no-such-page"];

    [Fact]
    public async Task On_a_phone_the_menu_opens_the_drawer_and_no_page_scrolls_sideways()
    {
        ExpectedConsoleErrors.Add(new Regex("/no-such-page: Failed to load resource: .*404"));
        await Page.SetViewportSizeAsync(390, 844);
        await SetUpAdminAsync();
        await NoSidewaysScrollAsync("dashboard");
        await Expect(Test("drawer")).ToHaveClassAsync(new Regex("mud-drawer--closed"));

        await Test("menu").ClickAsync();
        await Expect(Test("drawer")).ToHaveClassAsync(new Regex("mud-drawer--open"));
        await Chromium.ScreenshotAsync(Page, "90-phone-menu");
        await Test("nav-install").ClickAsync();
        await Page.WaitForURLAsync("**/install");
        // Choosing a page puts the drawer away: the page is what the user asked to see.
        await Expect(Test("drawer")).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await NoSidewaysScrollAsync("install");

        var runId = await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");
        await NoSidewaysScrollAsync($"run {runId}");
        await Chromium.ScreenshotAsync(Page, "91-phone-run");
        await GoAsync("/runs");
        await Expect(Page.Locator($"[data-test='runs'] tr[data-run='{runId}']")).ToBeVisibleAsync();
        await Expect(Test("runs-count")).ToHaveTextAsync("1–1 of 1");
        await NoSidewaysScrollAsync("runs");
        await Chromium.ScreenshotAsync(Page, "92-phone-runs");
        await GoAsync("/");
        await NoSidewaysScrollAsync("dashboard with a run");

        foreach (var path in OtherPages)
        {
            await Page.GotoAsync(path);
            await Page.Locator("h1").First.WaitForAsync();
            await NoSidewaysScrollAsync(path);
        }
    }
}
