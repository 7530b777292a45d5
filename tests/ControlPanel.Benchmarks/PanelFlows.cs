using System.Text.RegularExpressions;
using ControlPanel.Tests.Support;
using Microsoft.Playwright;

namespace ControlPanel.Benchmarks;

/// <summary>What the panel benchmarks do in the browser as a user would: set the admin up, start a fixture install.</summary>
static class PanelFlows
{
    public static async Task SetUpAdminAsync(PanelServer server, IPage page)
    {
        await page.GotoAsync(await server.SetupUrl.WaitAsync(TimeSpan.FromSeconds(30)));
        await page.FillAsync("#password", "benchmark password");
        await page.FillAsync("#confirm", "benchmark password");
        await page.ClickAsync("#setup-submit");
        await page.WaitForURLAsync(server.BaseUrl + "/");
    }

    /// <summary>Fills the install form and previews; <paramref name="clicking"/> is told the moment "Start" is clicked. Returns the run's id.</summary>
    public static async Task<long> StartInstallAsync(IPage page, Action? clicking = null)
    {
        await page.GotoAsync("/install");
        await page.Locator("body[data-ready='1']").WaitForAsync();
        await page.FillAsync("#domain", "bench.example.com");
        await page.FillAsync("#email", "bench@example.com");
        await page.ClickAsync("[data-test='preview-button']");
        await page.Locator("[data-test='preview']").WaitForAsync();
        clicking?.Invoke();
        await page.ClickAsync("[data-test='start-button']");
        await page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        return long.Parse(page.Url.Split('/')[^1]);
    }
}
