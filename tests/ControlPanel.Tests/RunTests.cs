using System.Text.RegularExpressions;
using ControlPanel.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>Install, re-run, reload, cancel and uninstall through the panel, with the FIXTURE plans doing real (harmless) work.</summary>
[Collection(E2ECollection.Name)]
public sealed class RunTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    static readonly string[] InstallStages = ["preflight", "deps", "cni-plugins", "containerd", "faasd", "certificate", "nginx"];

    protected override Task AfterPanelAsync() => SetUpAdminAsync();

    [Fact]
    public async Task Install_RunsToSuccessWithLiveLog_AndASecondInstallChangesNothing()
    {
        Server.SetFixture("lines-deps", "3000");
        Server.SetFixture("rate", "6000");
        await GoAsync("/install");
        await Page.FillAsync("#domain", "not a domain");
        await Page.FillAsync("#email", "admin@example.com");
        await Test("preview-button").ClickAsync();
        await Expect(Test("error-domain")).ToContainTextAsync("Domain");
        await Expect(Test("start-button")).ToBeDisabledAsync();
        await Chromium.ScreenshotAsync(Page, "10-install-invalid-domain");

        await Page.FillAsync("#domain", "panel.example.com");
        await Test("preview-button").ClickAsync();
        await Expect(Test("preview").Locator("section[data-verdict='apply']")).ToHaveCountAsync(InstallStages.Length);
        await Expect(Test("preview").Locator("[data-test='preview-file']").First).ToContainTextAsync("created");
        await Expect(Test("preview")).ToContainTextAsync("(secret content not shown)");
        await Chromium.ScreenshotAsync(Page, "11-install-preview");
        await Test("start-button").ClickAsync();
        await Page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        await ReadyAsync(Page);

        await Expect(Test("generated-password")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-test='live-log'] .ln").First).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(Page, "12-run-live");
        await WaitForRunStateAsync("Succeeded");
        foreach (var stage in InstallStages)
            await Expect(StageRow(stage)).ToHaveAttributeAsync("data-state", "Succeeded");
        await Expect(Test("live-log")).ToHaveAttributeAsync("data-count", new Regex(@"^\d{4,}$"));
        Assert.True(await LogCountAsync() > 3000);
        await Expect(Page.Locator("[data-test='live-log'] .ln").Last).ToContainTextAsync("nginx");
        await Chromium.ScreenshotAsync(Page, "13-run-succeeded");

        // Following, the page holds only the last lines under a spacer; scrolling up stops following and shows
        // the virtualised window where the user is; ticking Follow goes back to the end.
        await Expect(Test("live-log")).ToHaveAttributeAsync("data-mode", "tail");
        Assert.InRange(await Page.Locator("[data-test='live-log'] .ln").CountAsync(), 1, 40);
        await Test("live-log").ScrollIntoViewIfNeededAsync();
        await Chromium.ScreenshotAsync(Page, "14-run-log-tail");
        await Test("live-log").HoverAsync();
        await Page.Mouse.WheelAsync(0, -20_000);
        await Expect(Test("log-follow")).Not.ToBeCheckedAsync();
        await Expect(Test("live-log")).ToHaveAttributeAsync("data-mode", "window");
        await Expect(Page.Locator("[data-test='live-log'] .ln[data-seq]").First).ToBeVisibleAsync();
        Assert.True(long.Parse((await Page.Locator("[data-test='live-log'] .ln[data-seq]").First.GetAttributeAsync("data-seq"))!) < await LogCountAsync() - 100);
        await Test("log-follow").CheckAsync();
        await Expect(Test("live-log")).ToHaveAttributeAsync("data-mode", "tail");
        await Expect(Page.Locator("[data-test='live-log'] .ln").Last).ToContainTextAsync("nginx");

        // The full log downloads through the signed-in session, every line of it.
        var log = await (await Page.APIRequest.GetAsync(Page.Url + "/log")).TextAsync();
        Assert.Contains("fixture-deps line 3000", log);
        Assert.Equal(await LogCountAsync(), log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // Search narrows the virtualised view to matching lines.
        await Page.FillAsync("[data-test='log-search']", "line 2999");
        await Expect(Test("log-count")).ToContainTextAsync("1 of");
        await Expect(Page.Locator("[data-test='live-log'] .ln")).ToHaveCountAsync(1);

        // Idempotence: a second install finds everything in place and skips every stage.
        await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");
        foreach (var stage in InstallStages)
            await Expect(StageRow(stage)).ToHaveAttributeAsync("data-state", "Skipped");
        await Expect(Test("generated-password")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_faasd_password_is_shown_again_from_the_host_after_the_panel_password_and_each_reveal_is_audited()
    {
        await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");
        var first = (await Test("generated-password").Locator("code").TextContentAsync())!.Trim();
        // A second install skips faasd: the host keeps the first password; the one this run generated is not in use.
        var secondRun = await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");
        Assert.NotEqual(first, (await Test("generated-password").Locator("code").TextContentAsync())!.Trim());
        await Page.ReloadAsync();
        await ReadyAsync(Page);
        await Expect(Test("generated-password")).ToHaveCountAsync(0);

        await Test("reveal-password").ClickAsync();
        await Page.FillAsync("#reveal-confirm", "not the password");
        await Test("reveal-submit").ClickAsync();
        await Expect(Test("reveal-error")).ToContainTextAsync("Wrong password");
        await Expect(Test("revealed-password")).ToHaveCountAsync(0);
        await Page.FillAsync("#reveal-confirm", AdminPassword);
        await Test("reveal-submit").ClickAsync();
        await Expect(Test("revealed-password").Locator("code")).ToHaveTextAsync(first);
        await Chromium.ScreenshotAsync(Page, "16-password-revealed");

        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='secret-reveal']")).ToContainTextAsync($"run {secondRun}: faasd password");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='secret-reveal-refused']")).ToHaveCountAsync(1);
        await Expect(Test("audit")).Not.ToContainTextAsync(first);
    }

    [Fact]
    public async Task A_plan_whose_preview_would_fail_cannot_be_started_and_the_reason_is_beside_the_button()
    {
        Server.SetFixture("refuse-containerd", "");
        await GoAsync("/install");
        await Page.FillAsync("#domain", "panel.example.com");
        await Page.FillAsync("#email", "admin@example.com");
        await Test("preview-button").ClickAsync();
        await Expect(Page.Locator("[data-test='preview'] [data-stage='containerd']")).ToHaveAttributeAsync("data-verdict", "fail");
        await Expect(Test("start-button")).ToBeDisabledAsync();
        await Expect(Test("start-blocked")).ToContainTextAsync("fixture refusal requested");
        await Chromium.ScreenshotAsync(Page, "19-install-would-fail");

        Server.ClearFixture("refuse-containerd");
        await Test("preview-button").ClickAsync();
        await Expect(Page.Locator("[data-test='preview'] [data-stage='containerd']")).ToHaveAttributeAsync("data-verdict", "apply");
        await Expect(Test("start-button")).ToBeEnabledAsync();
        await Expect(Test("start-blocked")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task FailingStage_ThenRerunFromIt_Succeeds_AndOneStageCanBeRerunAlone()
    {
        Server.SetFixture("fail-faasd", "");
        await StartInstallAsync();
        await WaitForRunStateAsync("Failed");
        await Expect(StageRow("faasd")).ToHaveAttributeAsync("data-state", "Failed");
        await Expect(StageRow("faasd").Locator("[data-test='stage-error']")).ToContainTextAsync("exit");
        await Expect(StageRow("certificate")).ToHaveAttributeAsync("data-state", "Queued");
        await Expect(Test("run-error")).ToContainTextAsync("faasd");
        await Chromium.ScreenshotAsync(Page, "20-run-failed");

        Server.ClearFixture("fail-faasd");
        await Test("retry-failed").ClickAsync();
        await WaitForRunStateAsync("Succeeded");
        await Expect(StageRow("faasd")).ToHaveAttributeAsync("data-state", "Succeeded");
        await Expect(StageRow("faasd").Locator("td").Nth(3)).ToHaveTextAsync("2");
        await Expect(StageRow("deps").Locator("td").Nth(3)).ToHaveTextAsync("1");
        // The run's time counts from its first start; each attempt's own time is shown beside it.
        await Expect(Test("run-attempt-times")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d s · \d+\.\d s$"));
        await Chromium.ScreenshotAsync(Page, "21-run-rerun-succeeded");

        // Re-run one stage alone: its check finds the work done, so it is skipped; nothing else runs.
        await StageRow("deps").Locator("[data-test='rerun-only']").ClickAsync();
        await Expect(StageRow("deps").Locator("td").Nth(3)).ToHaveTextAsync("2");
        await WaitForRunStateAsync("Succeeded");
        await Expect(StageRow("deps")).ToHaveAttributeAsync("data-state", "Skipped");
        await Expect(StageRow("nginx").Locator("td").Nth(3)).ToHaveTextAsync("1");

        await Page.Locator("details.history-box summary").ClickAsync();
        await Expect(Test("history")).ToContainTextAsync("re-run only deps");
    }

    [Fact]
    public async Task ReloadDuringRun_ComesBackToTheRealState_AndLosesNoLines()
    {
        Server.SetFixture("lines-containerd", "40000");
        Server.SetFixture("rate", "4000");
        await StartInstallAsync();
        await Expect(StageRow("containerd")).ToHaveAttributeAsync("data-state", "Running");
        await Page.WaitForFunctionAsync("() => Number(document.querySelector(\"[data-test='live-log']\").dataset.count) > 2000");
        var before = await LogCountAsync();

        await Page.ReloadAsync();
        await ReadyAsync(Page);
        await Expect(Test("run")).ToHaveAttributeAsync("data-state", "Running");
        await Expect(StageRow("containerd")).ToHaveAttributeAsync("data-state", "Running");
        await Expect(StageRow("deps")).ToHaveAttributeAsync("data-state", "Succeeded");
        Assert.True(await LogCountAsync() >= before, "the reloaded page shows fewer lines than before the reload");
        // Virtualised: thousands of lines, only a screenful of rows in the page.
        Assert.InRange(await Page.Locator("[data-test='live-log'] .ln").CountAsync(), 1, 200);
        await Chromium.ScreenshotAsync(Page, "30-run-after-reload");

        await WaitForRunStateAsync("Succeeded");
        var log = await (await Page.APIRequest.GetAsync(Page.Url + "/log")).TextAsync();
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        await Expect(Test("live-log")).ToHaveAttributeAsync("data-count", lines.ToString());
        Assert.Contains("fixture-containerd line 40000", log);
    }

    [Fact]
    public async Task SessionsWithoutABrowser_FollowTheLiveLogToItsLastLine()
    {
        // The live-log benchmark's sessions: the circuit protocol spoken without a browser. Each must follow the log
        // as a page does (its line count rising batch by batch, never falling) and end at the log's last line.
        var runId = await StartHeldInstallAsync(lines: 15000, rate: 5000);
        await Expect(StageRow("containerd")).ToHaveAttributeAsync("data-state", "Running");
        var cookies = CircuitSession.CookiesOf(new Uri(Server.BaseUrl), await Context.CookiesAsync());
        var counts = Enumerable.Range(0, 3).Select(_ => new List<long>()).ToArray();
        var sessions = new List<CircuitSession>();
        try
        {
            foreach (var seen in counts)
                sessions.Add(await CircuitSession.OpenAsync(new Uri($"{Server.BaseUrl}/runs/{runId}"), cookies, batch =>
                {
                    if (batch.Values.TryGetValue("data-count", out var count)) lock (seen) seen.Add(long.Parse(count!));
                }));
            Server.ClearFixture("hold-containerd");
            await WaitForRunStateAsync("Succeeded");
            var log = await (await Page.APIRequest.GetAsync($"/runs/{runId}/log")).TextAsync();
            var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            Assert.Contains("fixture-containerd line 15000", log);
            for (var i = 0; i < 100 && counts.Any(c => { lock (c) return c.Count == 0 || c[^1] != lines; }); i++) await Task.Delay(100);
            foreach (var (seen, session) in counts.Zip(sessions))
            {
                long[] values;
                lock (seen) values = [.. seen];
                Assert.Empty(session.Errors);
                Assert.Equal(lines, values[^1]);
                Assert.True(values.Zip(values.Skip(1)).All(p => p.First <= p.Second), "a session's line count fell: " + string.Join(' ', values));
                // 3 s of printing at one render per 150 ms at most: a session that followed saw many counts, not the end alone.
                Assert.True(values.Distinct().Count() >= 5, $"a session saw {values.Distinct().Count()} counts: {string.Join(' ', values)}");
            }
        }
        finally
        {
            foreach (var session in sessions) await session.DisposeAsync();
        }
    }

    [Fact]
    public async Task Cancel_StopsTheRunningStage_ThenResumeFinishes()
    {
        Server.SetFixture("sleep-cni-plugins", "300");
        await StartInstallAsync();
        await Expect(StageRow("cni-plugins")).ToHaveAttributeAsync("data-state", "Running");
        var started = DateTime.UtcNow;
        await Test("cancel").ClickAsync();
        await WaitForRunStateAsync("Cancelled", TimeSpan.FromSeconds(20));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
        await Expect(StageRow("cni-plugins")).ToHaveAttributeAsync("data-state", "Cancelled");
        await Expect(StageRow("containerd")).ToHaveAttributeAsync("data-state", "Queued");
        await Chromium.ScreenshotAsync(Page, "40-run-cancelled");

        Server.ClearFixture("sleep-cni-plugins");
        await Test("resume").ClickAsync();
        await WaitForRunStateAsync("Succeeded");
        await Expect(StageRow("preflight").Locator("td").Nth(3)).ToHaveTextAsync("1");
        await Expect(StageRow("cni-plugins").Locator("td").Nth(3)).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task SecondRun_IsRefusedWhileOneHoldsTheHost()
    {
        Server.SetFixture("sleep-deps", "300");
        var first = await StartInstallAsync();
        await Expect(StageRow("deps")).ToHaveAttributeAsync("data-state", "Running");

        await GoAsync("/install");
        await Page.FillAsync("#domain", "other.example.com");
        await Page.FillAsync("#email", "admin@example.com");
        await Test("preview-button").ClickAsync();
        await Test("preview").WaitForAsync();
        await Test("start-button").ClickAsync();
        await Expect(Test("start-error")).ToContainTextAsync("another run holds");
        await Expect(Test("active-run-link")).ToHaveAttributeAsync("href", $"/runs/{first}");
        await Chromium.ScreenshotAsync(Page, "50-second-run-refused");

        await Test("active-run-link").ClickAsync();
        // The stage sleeps without a word: once it has been quiet for 15 s, its row says what it is waiting for.
        await Expect(StageRow("deps").Locator("[data-test='stage-activity']"))
            .ToContainTextAsync(new Regex(@"^no output for \d+ s: waiting for `sh .*fixture-stage\.sh fixture-deps"), new() { Timeout = 30_000 });
        await Test("cancel").ClickAsync();
        await WaitForRunStateAsync("Cancelled", TimeSpan.FromSeconds(20));
        await GoAsync("/runs");
        await Expect(Page.Locator("[data-test='runs'] tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.Locator($"[data-test='runs'] tr[data-run='{first}']")).ToHaveAttributeAsync("data-state", "Cancelled");
        await Chromium.ScreenshotAsync(Page, "51-runs-list");

        // Requeue from the history resumes the run; delete removes it with its logs.
        Server.ClearFixture("sleep-deps");
        await Page.Locator($"[data-test='runs'] tr[data-run='{first}'] [data-test='requeue']").ClickAsync();
        await Page.WaitForURLAsync(new Regex($"/runs/{first}$"));
        await WaitForRunStateAsync("Succeeded");
        await GoAsync("/runs");
        await Page.Locator($"[data-test='runs'] tr[data-run='{first}'] [data-test='delete']").ClickAsync();
        await Page.Locator(".mud-dialog button:has-text('Delete')").ClickAsync();
        await Expect(Test("no-runs")).ToBeVisibleAsync();
        Assert.False(Directory.Exists(Path.Combine(Server.DataDirectory, "runs", first.ToString())));
    }

    [Fact]
    public async Task Uninstall_PreviewsConfirmsByDomain_AndReportsNoLeftovers()
    {
        await StartInstallAsync("site.example.org");
        await WaitForRunStateAsync("Succeeded");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Server.FixtureDirectory, "state")));

        await Test("nav-uninstall").ClickAsync();
        await Test("preview-button").ClickAsync();
        await Expect(Test("preview")).ToContainTextAsync("deleted");
        await Expect(Page.Locator("label[for='confirm']")).ToContainTextAsync("site.example.org");
        await Expect(Test("start-button")).ToBeDisabledAsync();
        await Page.FillAsync("#confirm", "site.example.com");
        await Expect(Test("start-button")).ToBeDisabledAsync();
        await Page.FillAsync("#confirm", "site.example.org");
        await Expect(Test("start-button")).ToBeEnabledAsync();
        await Chromium.ScreenshotAsync(Page, "60-uninstall-preview");
        await Test("start-button").ClickAsync();
        await Page.WaitForURLAsync(new Regex(@"/runs/2$"));
        await WaitForRunStateAsync("Succeeded");
        await Expect(StageRow("leftovers")).ToContainTextAsync("nothing left behind");
        Assert.Empty(Directory.GetFiles(Path.Combine(Server.FixtureDirectory, "state")));
        await Chromium.ScreenshotAsync(Page, "61-uninstall-done");

        await Test("nav-dashboard").ClickAsync();
        await Expect(Test("install-state")).ToContainTextAsync("Uninstall");
        await Chromium.ScreenshotAsync(Page, "62-dashboard");
    }

    [Fact]
    public async Task RunOfAnotherProcess_IsFollowedFromTheDatabaseAndLogFiles()
    {
        var runId = await StartHeldInstallAsync(lines: 20000, rate: 2000);

        // A second panel process on the same data directory did not start the run: it has no live feed, only the DB and files.
        await using var other = await PanelServer.StartAsync(Server.Root);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = other.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/runs/{runId}");
        await LoginAsync(page, AdminPassword);
        await page.WaitForURLAsync(new Regex($"/runs/{runId}$"));
        await ReadyAsync(page);
        await Expect(page.Locator("[data-test='run']")).ToHaveAttributeAsync("data-state", "Running");
        await Expect(page.Locator("[data-test='stages'] tr[data-stage='containerd']")).ToHaveAttributeAsync("data-state", "Running");
        Server.ClearFixture("hold-containerd");
        await page.WaitForFunctionAsync("() => Number(document.querySelector(\"[data-test='live-log']\").dataset.count) > 1000");
        await Expect(page.Locator("[data-test='run']")).ToHaveAttributeAsync("data-state", "Running");
        await Chromium.ScreenshotAsync(page, "70-run-followed-by-other-process");
        await page.Locator("[data-test='run'][data-state='Succeeded']").WaitForAsync(new LocatorWaitForOptions { Timeout = 90_000 });
        await WaitForRunStateAsync("Succeeded");
        await Expect(page.Locator("[data-test='live-log']")).ToHaveAttributeAsync("data-count", (await LogCountAsync()).ToString());
        await Expect(page.Locator("[data-test='live-log'] .ln").Last).ToContainTextAsync("nginx");
        await context.CloseAsync();
    }

    [Fact]
    public async Task PanelKilledDuringRun_ResumesTheRunFromItsStageWhenItStartsAgain()
    {
        // The open page loses its panel on purpose: Blazor says so on the console until the panel is back.
        ExpectedConsoleErrors.Add(new Regex("Connection disconnected|ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|negotiation with the server|Failed to start the connection"));
        Server.SetFixture("sleep-containerd", "300");
        var runId = await StartInstallAsync();
        await Expect(StageRow("containerd")).ToHaveAttributeAsync("data-state", "Running");

        await Server.KillAsync();
        // The open page says so in the panel's own dialog (Blazor's is English only), not a frozen page.
        await Expect(Page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
        await Expect(Page.Locator("#components-reconnect-modal")).ToContainTextAsync("connection to the panel was lost");
        Server.ClearFixture("sleep-containerd");
        await using var restarted = await PanelServer.StartAsync(Server.Root);
        // The data-protection keys live in the data directory: the browser's sign-in survives the restart.
        await Page.GotoAsync($"{restarted.BaseUrl}/runs/{runId}");
        await ReadyAsync(Page);
        // Nobody clicks anything: the panel resumed the run it was executing when it was killed, from that stage.
        await WaitForRunStateAsync("Succeeded");
        await Expect(StageRow("deps").Locator("td").Nth(3)).ToHaveTextAsync("1");
        await Expect(StageRow("containerd").Locator("td").Nth(3)).ToHaveTextAsync("2");
        await Page.Locator("details.history-box summary").ClickAsync();
        await Expect(Page.Locator("details.history-box")).ToContainTextAsync("the panel stopped while running it");
        await Expect(Page.Locator("details.history-box")).ToContainTextAsync("resume by panel");
        await Chromium.ScreenshotAsync(Page, "80-run-resumed-after-restart");
    }

    /// <summary>An install whose containerd stage prints <paramref name="lines"/> at <paramref name="rate"/> a second once its hold is cleared (`hold-containerd`), so watchers can attach first.</summary>
    async Task<long> StartHeldInstallAsync(int lines, int rate)
    {
        Server.SetFixture("lines-containerd", lines.ToString());
        Server.SetFixture("rate", rate.ToString());
        Server.SetFixture("hold-containerd", "");
        return await StartInstallAsync();
    }
}
