using System.Globalization;
using ControlPanel.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace ControlPanel.Benchmarks;

/// <summary>
/// The panel as a user meets it, for one build (CONTROLPANEL picks it; default: this tree's): cold start of `serve`
/// to the first /healthz 200 (fresh data directory, migrations included), memory at rest (RSS and private) after the
/// dashboard was opened once and closed, and the time from "Start" clicked on the install page to the run's first
/// stage recorded Running (read from the panel's database). Run it once per build to compare them, e.g. before and
/// after the move of runs onto Hangfire.
/// Usage: panel-jobs [starts (default 5)] [installs (default 5)]
/// </summary>
public sealed class PanelJobsBenchmark : IBenchmark
{
    public string Name => "panel-jobs";
    public string Description => "cold start to /healthz, memory at rest, Install clicked to first stage Running (CONTROLPANEL picks the build)";

    public async Task RunAsync(string[] args)
    {
        var starts = args.Length > 0 ? int.Parse(args[0]) : 5;
        var installs = args.Length > 1 ? int.Parse(args[1]) : 5;
        Console.WriteLine($"build: {Environment.GetEnvironmentVariable("CONTROLPANEL") ?? "this tree's"}");

        var coldStarts = await ServeStartupBenchmark.ColdStartsAsync(ServeStartupBenchmark.Binary(), starts);
        Console.WriteLine($"cold start to /healthz 200: median {coldStarts[coldStarts.Count / 2]:0} ms (min {coldStarts[0]:0}, max {coldStarts[^1]:0}; {starts} starts, fresh data directory: migrations included)");

        // The fixture install's stages print three lines each and end: each install below takes seconds.
        await using var panel = await PanelServer.StartAsync();
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = panel.BaseUrl });
            var page = await context.NewPageAsync();
            await PanelFlows.SetUpAdminAsync(panel, page);
            await page.Locator("body[data-ready='1']").WaitForAsync();

            var toRunning = new List<double>();
            for (var i = 0; i < installs; i++)
            {
                var clicked = DateTime.MinValue;
                var runId = await PanelFlows.StartInstallAsync(page, () => clicked = DateTime.UtcNow);
                toRunning.Add((await FirstStageStartedAsync(panel.DataDirectory, runId) - clicked).TotalMilliseconds);
                await page.Locator("[data-test='run'][data-state='Succeeded']").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
            }
            toRunning.Sort();
            Console.WriteLine($"Start clicked to first stage Running: median {toRunning[toRunning.Count / 2]:0} ms (min {toRunning[0]:0}, max {toRunning[^1]:0}; {installs} installs)");

            // At rest: the dashboard was opened once, then its session closed.
            await page.GotoAsync("/");
            await page.Locator("body[data-ready='1']").WaitForAsync();
            await context.CloseAsync();
            await Task.Delay(TimeSpan.FromSeconds(15));
            var (rss, priv, _, _) = ServedProcess.Memory(panel.ProcessId);
            Console.WriteLine($"at rest, 15 s after the dashboard's session closed: RSS {rss / 1024.0:0.0} MiB, private {priv / 1024.0:0.0} MiB");
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    /// <summary>When the run's first stage was recorded Running, as the engine stored it (UTC), whichever build wrote it.</summary>
    static async Task<DateTime> FirstStageStartedAsync(string dataDirectory, long runId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "controlpanel.db")};Mode=ReadOnly");
        await db.OpenAsync();
        while (DateTime.UtcNow < deadline)
        {
            await using var query = db.CreateCommand();
            query.CommandText = "SELECT StartedAt FROM StageRuns WHERE RunId = $run AND \"Index\" = 0";
            query.Parameters.AddWithValue("$run", runId);
            if (await query.ExecuteScalarAsync() is string started)
                return DateTime.SpecifyKind(DateTime.Parse(started, CultureInfo.InvariantCulture), DateTimeKind.Utc);
            await Task.Delay(5);
        }
        throw new TimeoutException($"the first stage of run {runId} never started");
    }
}
