using Bunit;
using ControlPanel.Components.Controls;
using ControlPanel.Components.Pages;
using ControlPanel.Engine.Audit;
using ControlPanel.Resources;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Runs;
using ControlPanel.TestPeers;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Auth;
using ControlPanel.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.Tests.Components;

/// <summary>
/// The run page while its run executes on the real engine (a marker plan steered by files, run by Hangfire): stage rows,
/// the live log and the buttons follow the run as it goes, without a reload, to its end.
/// </summary>
public sealed class RunViewTests : IAsyncDisposable
{
    readonly PanelUi ui = new();
    readonly TestEngines engines = new();
    readonly string work = Directory.CreateTempSubdirectory("cp-runview-").FullName;
    readonly RunEngine engine;

    public RunViewTests()
    {
        engine = engines.Create(new EngineOptions(ui.DataDirectory), MarkerPlan.Catalog());
        ui.Context.Services.AddSingleton(engine);
        ui.Context.Services.AddSingleton(new RunQueries(ui.DataDirectory));
        ui.Context.Services.AddSingleton(new RunLogFeed(engine, NullLogger<RunLogFeed>.Instance));
    }

    public async ValueTask DisposeAsync()
    {
        await engines.DisposeAsync();
        await ui.DisposeAsync();
        Directory.Delete(work, true);
    }

    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_run_page_follows_a_running_run_its_stages_its_live_log_and_its_end()
    {
        File.WriteAllText(Path.Combine(work, "lines-a"), "40");
        File.WriteAllText(Path.Combine(work, "block-b"), "");
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b"), "local");

        var page = ui.Render<RunView>(p => p.Add(c => c.RunId, handle.RunId));
        page.WaitForAssertion(() =>
        {
            Assert.Equal("Succeeded", page.Find("tr[data-stage='a']").GetAttribute("data-state"));
            Assert.Equal("Running", page.Find("tr[data-stage='b']").GetAttribute("data-state"));
        }, Patience);
        Assert.Equal("Running", page.Find("[data-test='run']").GetAttribute("data-state"));
        Assert.Equal("50", page.Find("[data-test='run-progress']").GetAttribute("aria-valuenow"));
        Assert.NotEmpty(page.FindAll("[data-test='cancel']"));
        Assert.Empty(page.FindAll("[data-test='delete']"));

        // The log arrives as the stage prints it, every line counted; following, the page holds the newest lines in
        // order (seq's last ones), each tagged with its stage.
        page.WaitForAssertion(() => Assert.Contains("40", page.FindAll("[data-test='live-log'] .ln").Select(l => l.LastChild?.TextContent)), Patience);
        var numbers = page.FindAll("[data-test='live-log'] .ln").Select(l => l.LastChild?.TextContent).Where(t => int.TryParse(t, out _)).Select(int.Parse!).ToList();
        Assert.True(numbers.Count >= 20, $"{numbers.Count} of seq's lines shown");
        Assert.Equal(Enumerable.Range(41 - numbers.Count, numbers.Count), numbers);
        Assert.All(page.FindAll("[data-test='live-log'] .ln").Where(l => int.TryParse(l.LastChild?.TextContent, out _)),
            l => Assert.Equal("a", l.QuerySelector(".s")!.TextContent));
        var follow = page.Find("input[data-test='log-follow']");
        Assert.True(follow.HasAttribute("checked"));
        Assert.NotNull(follow.Closest(".mud-checkbox"));

        File.Delete(Path.Combine(work, "block-b"));
        page.WaitForAssertion(() => Assert.Equal("Succeeded", page.Find("[data-test='run']").GetAttribute("data-state")), Patience);
        Assert.Equal("Succeeded", page.Find("tr[data-stage='b']").GetAttribute("data-state"));
        Assert.Equal("100", page.Find("[data-test='run-progress']").GetAttribute("aria-valuenow"));
        Assert.Empty(page.FindAll("[data-test='cancel']"));
        Assert.NotEmpty(page.FindAll("[data-test='delete']"));
        Assert.Equal(RunState.Succeeded, await handle.Completion);

        // Every line the run logged reached the page; searching narrows them to those that hold the text (3, 13,
        // 23, 30 to 39 and any other line with a 3 in it) and says how many of how many.
        var stored = engine.Logs.Read(handle.RunId).ToList();
        page.WaitForAssertion(() => Assert.Equal(stored.Count.ToString(), page.Find("[data-test='live-log']").GetAttribute("data-count")), Patience);
        var holding3 = stored.Count(l => l.Text.Contains('3'));
        Assert.True(holding3 >= 13, $"{holding3} stored lines hold a 3");
        page.Find("input[data-test='log-search']").Input("3");
        page.WaitForAssertion(() => Assert.Equal($"{holding3} of {stored.Count} lines match", page.Find("[data-test='log-count']").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task Showing_the_faasd_password_again_asks_for_the_panel_password_and_a_wrong_one_shows_nothing_and_is_audited()
    {
        const string password = "the panel password 1";
        await ui.Service<AccountService>().CreateFirstUserAsync("admin", password, password);
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a"), "local");
        Assert.Equal(RunState.Succeeded, await handle.Completion);

        var reveal = ui.Render<SecretReveal>(p => p.Add(c => c.RunId, handle.RunId));
        Assert.Empty(reveal.FindAll("#reveal-confirm"));
        reveal.Find("[data-test='reveal-password']").Click();
        // The right password: the host is asked, and this plan keeps no password there.
        reveal.Find("#reveal-confirm").Input(password);
        reveal.Find("[data-test='reveal-submit']").Click();
        reveal.WaitForAssertion(() => Assert.Equal(S.RevealGone.ToString(), reveal.Find("[data-test='reveal-error']").TextContent.Trim()), Patience);

        reveal.Find("#reveal-confirm").Input("not the password");
        reveal.Find("[data-test='reveal-submit']").Click();
        reveal.WaitForAssertion(() => Assert.Equal("Wrong password: nothing shown.", reveal.Find("[data-test='reveal-error']").TextContent.Trim()), Patience);
        Assert.Empty(reveal.FindAll("[data-test='revealed-password']"));
        var audit = await ui.Service<AuditStore>().LatestAsync(10);
        var refused = Assert.Single(audit, a => a.Action == AuditActions.SecretRevealRefused);
        Assert.Equal($"run {handle.RunId}: faasd password", refused.Detail);
        Assert.DoesNotContain(audit, a => a.Action == AuditActions.SecretReveal);

        reveal.Find("[data-test='reveal-cancel']").Click();
        reveal.WaitForAssertion(() => Assert.Empty(reveal.FindAll("#reveal-confirm")));
        Assert.NotEmpty(reveal.FindAll("[data-test='reveal-password']"));
    }
}
