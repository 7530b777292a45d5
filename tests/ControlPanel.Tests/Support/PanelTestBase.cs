using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ControlPanel.Tests.Support;

/// <summary>One browser for all E2E tests; they run one after another (2 cores, one panel at a time).</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public IPlaywright Playwright { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync() => (Playwright, Browser) = await Chromium.LaunchAsync();

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        Playwright.Dispose();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class E2ECollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "e2e";
}

/// <summary>Each test gets its own panel (fresh data directory) and browser context; helpers drive it like a user.</summary>
public abstract class PanelTestBase(BrowserFixture fixture) : IAsyncLifetime
{
    public const string AdminPassword = "correct horse battery";
    protected static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    protected PanelServer Server { get; private set; } = default!;
    protected IBrowserContext Context { get; private set; } = default!;
    protected IPage Page { get; private set; } = default!;
    protected IBrowser Browser => fixture.Browser;

    /// <summary>More `serve` arguments a test class needs (e.g. the hidden --nginx-target).</summary>
    protected virtual string[] ServerArguments => [];

    /// <summary>A command the panel is started through (e.g. <see cref="PrivateEtc.Wrapper"/>); none by default.</summary>
    protected virtual IReadOnlyList<string> ServerWrapper => [];

    public async Task InitializeAsync()
    {
        try
        {
            await BeforePanelAsync();
            Server = await PanelServer.StartAsync(null, ServerArguments, ServerWrapper);
            Context = await NewContextAsync();
            Page = await Context.NewPageAsync();
            Page.Console += (_, message) => { if (message.Type == "error") lock (consoleErrors) consoleErrors.Add($"{Page.Url}: {message.Text}"); };
            Page.PageError += (_, error) => { lock (consoleErrors) consoleErrors.Add($"{Page.Url}: uncaught {error}"); };
            await AfterPanelAsync();
        }
        catch
        {
            // xUnit does not dispose a test class whose set-up failed: what started so far (the panel, peers) goes now.
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Peers the panel needs before it starts (nginx, a registry).</summary>
    protected virtual Task BeforePanelAsync() => Task.CompletedTask;

    /// <summary>Set-up once the panel is up (the admin account, a CA).</summary>
    protected virtual Task AfterPanelAsync() => Task.CompletedTask;

    readonly List<string> consoleErrors = [];

    /// <summary>
    /// Console errors a test causes on purpose (an address that answers 404, a panel it stops under an open page);
    /// any other error the browser logs on the test's page fails the test.
    /// </summary>
    protected List<Regex> ExpectedConsoleErrors { get; } = [];

    /// <summary>Also after a failed set-up: anything may still be unset.</summary>
    public virtual async Task DisposeAsync()
    {
        if (Context is not null) await Context.CloseAsync();
        if (Server is not null) await Server.DisposeAsync();
        string[] unexpected;
        lock (consoleErrors) unexpected = [.. consoleErrors.Where(e => !ExpectedConsoleErrors.Any(r => r.IsMatch(e)))];
        Assert.True(unexpected.Length == 0, "The browser logged errors:\n" + string.Join("\n", unexpected));
    }

    protected async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);
        return context;
    }

    protected ILocator Test(string id) => Page.Locator($"[data-test='{id}']");

    /// <summary>Picks a value of a choice field (MudBlazor's select) as a user does: opens its list, clicks the item.</summary>
    protected async Task ChooseAsync(string id, string value)
    {
        await Page.ClickAsync($"#{id}");
        await Page.Locator($".mud-popover-open [data-value='{value}']").ClickAsync();
        await Assertions.Expect(Page.Locator(".mud-popover-open [data-value]")).ToHaveCountAsync(0);
    }

    /// <summary>Fails when the page is wider than the window (it would scroll sideways), naming what sticks out.</summary>
    protected async Task NoSidewaysScrollAsync(string where)
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        if (widths[0] <= widths[1]) return;
        // The widest elements that stick out (not those inside a box that scrolls itself), to say what to fix.
        var culprits = await Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.live-log'))
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)} px)`)
            """);
        Assert.Fail($"{where}: the page is {widths[0]} px wide on a {widths[1]} px wide screen; sticking out: {string.Join(", ", culprits)}");
    }

    /// <summary>Waits until the page's interactive session is live (a prerendered button does nothing yet).</summary>
    protected static Task ReadyAsync(IPage page) => page.Locator("body[data-ready='1']").WaitForAsync();

    protected async Task GoAsync(string path)
    {
        await Page.GotoAsync(path);
        await ReadyAsync(Page);
    }

    /// <summary>First start: sets the admin password through the one-time URL from the console; ends signed in on the dashboard.</summary>
    protected async Task SetUpAdminAsync(IPage? page = null)
    {
        page ??= Page;
        await page.GotoAsync(await Server.SetupUrl.WaitAsync(TimeSpan.FromSeconds(30)));
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", AdminPassword);
        await page.FillAsync("#confirm", AdminPassword);
        await page.ClickAsync("#setup-submit");
        await page.WaitForURLAsync(Server.BaseUrl + "/");
        await ReadyAsync(page);
    }

    protected static async Task LoginAsync(IPage page, string password, string? code = null)
    {
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", password);
        if (code is not null) await page.FillAsync("#code", code);
        await page.ClickAsync("#login-submit");
    }

    /// <summary>Fills the install form, previews, starts; returns the run id from the run page's address.</summary>
    protected async Task<long> StartInstallAsync(string domain = "panel.example.com")
    {
        await GoAsync("/install");
        await Page.FillAsync("#domain", domain);
        await Page.FillAsync("#email", "admin@example.com");
        await Test("preview-button").ClickAsync();
        await Test("preview").WaitForAsync();
        await Assertions.Expect(Test("start-button")).ToBeEnabledAsync();
        await Test("start-button").ClickAsync();
        await Page.WaitForURLAsync(new Regex(@"/runs/\d+$"));
        await ReadyAsync(Page);
        return long.Parse(Page.Url.Split('/')[^1]);
    }

    protected async Task WaitForRunStateAsync(string state, TimeSpan? timeout = null) =>
        await Page.Locator($"[data-test='run'][data-state='{state}']").WaitForAsync(new LocatorWaitForOptions { Timeout = (float)(timeout ?? RunTimeout).TotalMilliseconds });

    protected ILocator StageRow(string stage) => Page.Locator($"[data-test='stages'] tr[data-stage='{stage}']");

    protected async Task<long> LogCountAsync() => long.Parse(await Test("live-log").GetAttributeAsync("data-count") ?? "0");
}
