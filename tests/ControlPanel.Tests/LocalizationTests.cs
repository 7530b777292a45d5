using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;
using ControlPanel.Resources;
using ControlPanel.Tests.Support;
using ControlPanel.Web.Localization;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>Stage titles of every real plan have a Chinese title, looked up by the stage's stable name.</summary>
public sealed class StageTitleTests
{
    public static IEnumerable<object[]> RealStages()
    {
        var catalog = StackPlans.Catalog();
        var install = InstallRequest.Parse("panel.example.com", "admin@example.com", "faasd", "seed", "", "password-123456", StackPlans.Profiles);
        var requests = new PlanRequest[]
        {
            install,
            new UninstallRequest(false), new UninstallRequest(true),
            CertificateIssueRequest.Parse(["panel.example.com"], null, null, null),
            new CertificateRenewRequest(1),
            new ProxyApplyRequest(DefaultSite.For("panel.example.com", "faasd")),
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

/// <summary>
/// Every page in Chinese: no English UI string of the panel shows, the run view's stage titles are Chinese, and so
/// are the engine's messages (check reasons, a stage's failure, the run's error and history, the preview's reasons).
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ChinesePagesTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    /// <summary>The English side of every UI string that differs from its Chinese one and is a phrase (single words such as "HSTS" can be data).</summary>
    static readonly string[] EnglishPhrases = typeof(S).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Text)).Select(f => (Text)f.GetValue(null)!)
        .Where(t => t.En != t.Zh && t.En.Contains(' ') && !t.En.Contains('{'))
        .Select(t => t.En).ToArray();

    /// <summary>The English words of every engine message template: the text between placeholders, where it is a phrase.</summary>
    static readonly string[] EnglishEngineText = EngineMessagesTests.Declared
        .SelectMany(t => Regex.Split(t.English, @"\{[a-z][A-Za-z0-9]*\}"))
        .Select(f => f.Trim(' ', ':', ';', ',', '(', ')', '\n')).Where(f => f.Contains(' ')).Distinct().ToArray();

    /// <summary>
    /// English a Chinese page may show: names of products, protocols, packages and parts of the stack, stage and plan
    /// names, the host name "local", the user "admin"; in any case (buttons are upper case by CSS). Everything else in
    /// English is a missing translation.
    /// </summary>
    static readonly HashSet<string> AllowedEnglish = new(StringComparer.OrdinalIgnoreCase)
    {
        "ControlPanel", "OpenFaaS", "faasd", "faasd-provider", "containerd", "nginx", "Docker", "docker", "CNI", "cni-plugins",
        "ACME", "Let's", "Encrypt", "ZeroSSL", "Buypass", "Google", "pebble", "Hangfire", "systemd", "apt", "Linux", "GNU",
        "Debian", "Ubuntu", "bookworm", "HTTP", "HTTPS", "HSTS", "TLS", "SSH", "TOTP", "URL", "URI", "DNS", "CPU", "UTC",
        "EAB", "HMAC", "PEM", "WebSocket", "Host", "node", "local", "admin", "root", "seed", "current", "GiB", "MiB", "KiB",
        // The language switch names each language in itself.
        "English",
        "deps", "preflight", "firewall", "certificate", "nginx-site",
        // Debian packages the deps stage installs, named in its title.
        "runc", "bridge-utils", "iptables", "ca-certificates", "curl", "docker-registry", "Hub",
        // An HTTP header named as it is sent.
        "Strict-Transport-Security",
    };

    /// <summary>
    /// The page's visible text without what is verbatim by nature: commands, paths and file contents (code, pre), logs,
    /// and records kept as written (`.verbatim`: the audit log's details).
    /// </summary>
    const string VisibleProseScript = """
        () => {
            let text = document.body.innerText;
            // Longest first: a verbatim text must not be cut in two by a shorter one inside it.
            const verbatim = [...document.querySelectorAll('code, pre, .live-log, .diff, textarea, .verbatim')]
                .map(e => e.innerText).filter(t => t).sort((a, b) => b.length - a.length);
            for (const t of verbatim) text = text.split(t).join(' ');
            return text;
        }
        """;

    /// <summary>English words of three letters or more, leaving out tokens that are data: addresses, paths, versions, hashes, e-mails.</summary>
    static IEnumerable<string> EnglishWords(string text) =>
        Regex.Split(text, @"[\s\p{IsCJKUnifiedIdeographs}\p{IsCJKSymbolsandPunctuation}\p{IsHalfwidthandFullwidthForms}()（），。：；、“”\""]+")
            .Where(token => token.Length > 0 && !Regex.IsMatch(token, @"[./@:_=\\\[\]{}$`<>#\d]"))
            .SelectMany(token => Regex.Matches(token, @"[A-Za-z][A-Za-z'’-]*[A-Za-z]").Select(m => m.Value))
            .Where(word => word.Length >= 3)
            .Distinct();

    /// <summary>Where the run view shows engine messages (not the log: that stays as the commands and the engine wrote it).</summary>
    ILocator RunMessages => Page.Locator("[data-test='stages'], [data-test='run-error'], [data-test='history']");

    async Task AssertNoEnglishEngineTextAsync(string where, ILocator locator)
    {
        var text = string.Join("\n", await locator.AllInnerTextsAsync());
        var english = EnglishEngineText.Where(text.Contains).ToList();
        Assert.True(english.Count == 0, $"{where} shows English engine text: {string.Join(" | ", english)}\n{text}");
    }

    [Fact]
    public async Task EveryPage_ShowsNoEnglishUiString()
    {
        await SetUpAdminAsync();
        await Test("lang-zh").ClickAsync();
        await Expect(Test("nav-dashboard")).ToHaveTextAsync("仪表盘");
        Server.SetFixture("fail-faasd", "");
        var runId = await StartInstallAsync();
        await WaitForRunStateAsync("Failed");
        // The failure is the command's (keyed) with its output verbatim; the run's error names the stage.
        await Expect(StageRow("faasd").Locator("[data-test='stage-error']")).ToContainTextAsync("退出码为 1");
        await Expect(StageRow("faasd").Locator("[data-test='stage-error']")).ToContainTextAsync("fixture failure requested");
        await Expect(Test("run-error")).ToContainTextAsync("faasd：");
        await AssertNoEnglishEngineTextAsync("the failed run", RunMessages);
        await Chromium.ScreenshotAsync(Page, "61-run-failed-chinese");
        Server.ClearFixture("fail-faasd");
        await Test("retry-failed").ClickAsync();
        await WaitForRunStateAsync("Succeeded");
        foreach (var reason in await Page.Locator("[data-test='stages'] [data-test='check-reason']").AllInnerTextsAsync())
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reason);
        Assert.Equal(7, await Page.Locator("[data-test='stages'] [data-test='check-reason']").CountAsync());
        foreach (var message in await Page.Locator("[data-test='history'] td:nth-child(4)").AllInnerTextsAsync())
            if (message.Length > 0) Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
        await AssertNoEnglishEngineTextAsync("the run view", RunMessages);
        foreach (var title in await Page.Locator("[data-test='stages'] .title").AllInnerTextsAsync())
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", title);
        Assert.Equal(7, await Page.Locator("[data-test='stages'] .title").CountAsync());

        foreach (var path in new[] { "/", "/install", "/runs", $"/runs/{runId}", "/certificates", "/registry-cache", "/mirrors", "/proxy", "/hosts", "/uninstall", "/settings", "/audit" })
        {
            await GoAsync(path);
            var text = await Page.Locator("body").InnerTextAsync();
            var english = EnglishPhrases.Where(text.Contains).ToList();
            Assert.True(english.Count == 0, $"{path} shows English UI strings: {string.Join(" | ", english)}");
            var words = EnglishWords(await Page.EvaluateAsync<string>(VisibleProseScript)).Where(w => !AllowedEnglish.Contains(w)).ToList();
            Assert.True(words.Count == 0, $"{path} shows English words: {string.Join(", ", words)}");
            if (path is "/" or "/runs") await AssertNoEnglishEngineTextAsync(path, Page.Locator(".panel-body"));
        }
        await GoAsync($"/runs/{runId}");
        await Chromium.ScreenshotAsync(Page, "60-run-chinese");

        // A second preview finds every stage done and says why, in Chinese.
        await GoAsync("/install");
        await Page.FillAsync("#domain", "panel.example.com");
        await Page.FillAsync("#email", "admin@example.com");
        await Test("preview-button").ClickAsync();
        await Expect(Test("preview").Locator("section[data-verdict='skip']")).ToHaveCountAsync(7);
        foreach (var reason in await Test("preview").Locator(".reason").AllInnerTextsAsync())
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", reason);
        await AssertNoEnglishEngineTextAsync("the install preview", Test("preview"));
        await Chromium.ScreenshotAsync(Page, "62-preview-chinese");
    }
}
