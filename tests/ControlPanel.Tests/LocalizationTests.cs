using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stages;
using ControlPanel.Resources;
using ControlPanel.Tests.Support;
using ControlPanel.Web.Localization;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>Stage titles of every real plan have a Chinese title, looked up by the stage's stable name.</summary>
public sealed class StageTitleTests
{
    public static IEnumerable<object[]> RealStages()
    {
        var catalog = StackPlans.Catalog();
        var install = InstallRequest.Parse("panel.example.com", "admin@example.com", "faasd", "seed", "", "password-123456", StackPlans.Profiles).ToPlanRequest();
        var requests = new[]
        {
            install,
            new UninstallRequest(false).ToPlanRequest(), new UninstallRequest(true).ToPlanRequest(),
            new PlanRequest(CertificatePlans.IssueKind, new Dictionary<string, string>(), new Dictionary<string, string>()),
            new PlanRequest(CertificatePlans.RenewKind, new Dictionary<string, string>(), new Dictionary<string, string>()),
        };
        return requests.SelectMany(r => catalog.Create(r).Stages).Select(s => new object[] { s.Name, s.Title }).DistinctBy(o => o[0]);
    }

    [Theory]
    [MemberData(nameof(RealStages))]
    public void EveryStageHasAChineseTitle(string name, string engineTitle)
    {
        Assert.Contains(name, S.TranslatedStages);
        var ui = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo(PanelCultures.Chinese);
            var zh = S.StageTitle(name, engineTitle);
            Assert.Contains(zh, c => c is >= '\u4e00' and <= '\u9fff');
            Assert.DoesNotContain("{0}", zh);
            // A version the engine's title names stays in the Chinese one.
            if (Regex.Match(engineTitle, @"\d+\.\d+(\.\d+)?") is { Success: true } version) Assert.Contains(version.Value, zh);
            CultureInfo.CurrentUICulture = new CultureInfo(PanelCultures.English);
            Assert.Equal(engineTitle, S.StageTitle(name, engineTitle));
        }
        finally { CultureInfo.CurrentUICulture = ui; }
    }
}

/// <summary>Every page in Chinese: no English UI string of the panel shows, and the run view's stage titles are Chinese.</summary>
[Collection(E2ECollection.Name)]
public sealed class ChinesePagesTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    /// <summary>The English side of every UI string that differs from its Chinese one and is a phrase (single words such as "HSTS" can be data).</summary>
    static readonly string[] EnglishPhrases = typeof(S).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Text)).Select(f => (Text)f.GetValue(null)!)
        .Where(t => t.En != t.Zh && t.En.Contains(' ') && !t.En.Contains('{'))
        .Select(t => t.En).ToArray();

    [Fact]
    public async Task EveryPage_ShowsNoEnglishUiString()
    {
        await SetUpAdminAsync();
        await Test("lang-zh").ClickAsync();
        await Expect(Test("nav-dashboard")).ToHaveTextAsync("仪表盘");
        var runId = await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");
        foreach (var title in await Page.Locator("[data-test='stages'] .title").AllInnerTextsAsync())
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", title);
        Assert.Equal(7, await Page.Locator("[data-test='stages'] .title").CountAsync());

        foreach (var path in new[] { "/", "/install", "/runs", $"/runs/{runId}", "/certificates", "/registry-cache", "/mirrors", "/proxy", "/hosts", "/uninstall", "/settings", "/audit" })
        {
            await GoAsync(path);
            var text = await Page.Locator("body").InnerTextAsync();
            var english = EnglishPhrases.Where(text.Contains).ToList();
            Assert.True(english.Count == 0, $"{path} shows English UI strings: {string.Join(" | ", english)}");
        }
        await GoAsync($"/runs/{runId}");
        await Chromium.ScreenshotAsync(Page, "60-run-chinese");
    }
}
