using Microsoft.Playwright;
using ControlPanel.TestPeers;

namespace ControlPanel.Tests.Support;

/// <summary>
/// Debian's chromium driven by Playwright (the driver ships in the package; no `playwright install`).
/// Needs the apt package `chromium` (and a CJK font such as fonts-wqy-microhei for readable Chinese screenshots).
/// </summary>
public static class Chromium
{
    public static readonly string[] Args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = Args,
        });
        return (playwright, browser);
    }

    /// <summary>tests/artifacts/screenshots/NAME.png (gitignored), for a person to look at.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var target = Path.Combine(RepoPaths.Root, "tests", "artifacts", "screenshots");
        Directory.CreateDirectory(target);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(target, name + ".png"), FullPage = true });
    }
}
