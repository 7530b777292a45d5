using System.Text.RegularExpressions;
using ControlPanel.Tests.Support;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ControlPanel.Tests;

/// <summary>
/// axe-core (Deque's engine, in the real browser) on every page of the panel, signed out and signed in, in English
/// and in Chinese, in the light and the dark theme: no serious or critical violation.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    static readonly string[] Pages = ["/", "/install", "/runs", "/hosts", "/registry-cache", "/mirrors", "/certificates", "/proxy",
        "/uninstall", "/settings", "/sessions", "/audit", "/no-such-page"];

    readonly List<string> violations = [];

    async Task CheckAsync(string where)
    {
        // Colours change with a transition (MudBlazor's buttons, 250 ms): measure contrast once nothing moves.
        await Page.WaitForFunctionAsync("() => document.getAnimations().every(a => a.playState !== 'running')");
        var result = await Page.RunAxe();
        foreach (var v in result.Violations.Where(v => v.Impact is "serious" or "critical"))
            violations.Add($"{where}: {v.Impact} {v.Id} ({v.Help}) at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}");
    }

    async Task CheckPagesAsync(string language, long runId)
    {
        foreach (var path in Pages.Append($"/runs/{runId}"))
        {
            await Page.GotoAsync(path);
            await Page.Locator("h1").First.WaitForAsync();
            if (path != "/no-such-page") await ReadyAsync(Page);
            await CheckAsync($"{language} {path}");
        }
    }

    [Fact]
    public async Task No_page_has_a_serious_or_critical_violation_in_either_language_or_theme()
    {
        ExpectedConsoleErrors.Add(new Regex("/no-such-page: Failed to load resource: .*404"));
        await Page.GotoAsync("/login");
        await CheckAsync("signed out /login");
        await SetUpAdminAsync();
        var runId = await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");

        await CheckPagesAsync("en light", runId);
        await GoAsync("/");
        await Test("theme-switch").ClickAsync();
        await CheckPagesAsync("en dark", runId);
        await GoAsync("/");
        await Test("lang-zh").ClickAsync();
        await Assertions.Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
        await ReadyAsync(Page);
        await CheckPagesAsync("zh", runId);

        Assert.True(violations.Count == 0, $"{violations.Count} violation(s):\n" + string.Join("\n", violations));
    }
}
