using System.Diagnostics;
using ControlPanel.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.Playwright;

namespace ControlPanel.Benchmarks;

/// <summary>
/// The panel's figures in one table, measured in one run on this machine: the release binary that installer/publish.sh
/// builds, against a bare Blazor Server app with MudBlazor and a Hangfire server (tests/bench-reference, published here
/// with the same settings) and against certbot on the same pebble. Columns: figure, ours, reference, ratio, target, met.
/// Usage: figures [--short]. --short (CI): plain ReadyToRun and one sample each, to show that it still works; its figures
/// mean little.
/// </summary>
public sealed class FiguresBenchmark : IBenchmark
{
    public string Name => "figures";
    public string Description => "release binary vs a bare MudBlazor + Hangfire app and certbot: one table (arg: --short)";

    sealed record Row(string Figure, double Ours, double? Reference, string Target, bool? Met);

    public async Task RunAsync(string[] args)
    {
        var quick = args.Contains("--short");
        var samples = quick ? 1 : 7;
        var rest = TimeSpan.FromSeconds(quick ? 3 : 15);
        var work = Path.Combine(RepoPaths.Root, "tests", "artifacts", "figures");
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {CpuModel()}, load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"builds: {(quick ? "plain" : "composite")} ReadyToRun, self-contained linux-x64, Release");

        var ours = await PublishOursAsync(work, composite: !quick);
        var reference = await PublishReferenceAsync(work, composite: !quick);
        var oursData = Path.Combine(work, "ours-data");
        var referenceData = Path.Combine(work, "reference-data");

        // At rest: the first start of each (fresh data), its main page opened once in a browser and closed, then left alone.
        var (playwright, browser) = await Chromium.LaunchAsync();
        ServedProcess.Use oursRest, referenceRest;
        try
        {
            oursRest = await AtRestAsync(browser, ours, url => ["serve", "--urls", url, "--data", oursData], rest, SignInToDashboardAsync);
            referenceRest = await AtRestAsync(browser, reference, url => ["--urls", url, "--data", referenceData], rest, OpenReferencePageAsync);
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }

        // Every later start meets a migrated database: that is the start that counts.
        var oursStart = await StartsAsync(ours, url => ["serve", "--urls", url, "--data", oursData], samples);
        var referenceStart = await StartsAsync(reference, url => ["--urls", url, "--data", referenceData], samples);

        var version = await CommandAsync(ours, ["--version"], samples);
        var status = await CommandAsync(ours, ["status", "--data", oursData], samples);
        var runs = await CommandAsync(ours, ["runs", "--data", oursData], samples);
        var (issue, certbot) = await AcmeVsCertbotBenchmark.CliAndCertbotAsync(ours, quick ? 1 : 5);

        var mib = 1024.0;
        Print([
            new("cold start to first /healthz 200, migrated data (ms)", oursStart, referenceStart, "<= 1000 and <= 1.2x", oursStart <= 1000 && oursStart <= 1.2 * referenceStart),
            new("at rest: RSS (MiB)", oursRest.Rss / mib, referenceRest.Rss / mib, "<= reference", oursRest.Rss <= referenceRest.Rss),
            new("at rest: private dirty memory (MiB; what the process wrote, its JIT code included)", oursRest.PrivateDirty / mib, referenceRest.PrivateDirty / mib, "<= 25", oursRest.PrivateDirty / mib <= 25),
            new("at rest: anonymous memory (MiB; RssAnon: heaps and runtime data, not its JIT code)", oursRest.Anonymous / mib, referenceRest.Anonymous / mib, "<= 25", oursRest.Anonymous / mib <= 25),
            new("at rest: private memory, clean + dirty (MiB; its mapped image included)", oursRest.Private / mib, referenceRest.Private / mib, "", null),
            new("`controlpanel status` (s; reference: `--version`, the runtime's own start)", status, version, "<= 0.3", status <= 0.3),
            new("`controlpanel runs` (s; reference: `--version`)", runs, version, "<= 0.3", runs <= 0.3),
            new("`controlpanel cert issue` on pebble (s; reference: certbot)", issue, certbot, "<= 0.25x", issue <= 0.25 * certbot),
        ]);
    }

    static async Task<string> PublishOursAsync(string work, bool composite)
    {
        var watch = Stopwatch.StartNew();
        await Measure.RunAsync("bash", [Path.Combine(RepoPaths.Root, "installer", "publish.sh"), "--arch", "linux-x64", "--version", "figures",
            "--out", work, .. composite ? Array.Empty<string>() : ["--no-composite"]], new(), TimeSpan.FromMinutes(20));
        await Measure.RunAsync("tar", ["-C", work, "-xzf", Path.Combine(work, "controlpanel-figures-linux-x64.tar.gz")], new());
        Console.WriteLine($"ours: installer/publish.sh in {watch.Elapsed.TotalSeconds:0} s");
        return Path.Combine(work, "controlpanel", "controlpanel");
    }

    static async Task<string> PublishReferenceAsync(string work, bool composite)
    {
        var watch = Stopwatch.StartNew();
        var project = Path.Combine(RepoPaths.Root, "tests", "bench-reference");
        // As publish.sh does for ours: crossgen's output of a build of the other kind must not be reused.
        foreach (var r2r in Directory.GetDirectories(project, "R2R", SearchOption.AllDirectories)) Directory.Delete(r2r, true);
        await Measure.RunAsync("dotnet", ["publish", Path.Combine(project, "Reference.csproj"), "-c", "Release", "-r", "linux-x64",
            "--self-contained", "true", $"-p:PublishReadyToRunComposite={composite}", "-nologo", "-v", "q", "-o", Path.Combine(work, "reference")],
            new(), TimeSpan.FromMinutes(20));
        Console.WriteLine($"reference: dotnet publish in {watch.Elapsed.TotalSeconds:0} s");
        return Path.Combine(work, "reference", "reference");
    }

    /// <summary>Its memory <paramref name="rest"/> after the page <paramref name="open"/> opened was closed.</summary>
    static async Task<ServedProcess.Use> AtRestAsync(IBrowser browser, string binary, Func<string, IEnumerable<string>> argv, TimeSpan rest,
        Func<IPage, ServedProcess, Task> open)
    {
        await using var served = await ServedProcess.StartAsync(binary, argv);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = served.BaseUrl });
        await open(await context.NewPageAsync(), served);
        await context.CloseAsync();
        await Task.Delay(rest);
        return served.Memory();
    }

    /// <summary>The admin account through the setup URL the first start printed; the setup lands on the dashboard.</summary>
    static async Task SignInToDashboardAsync(IPage page, ServedProcess panel)
    {
        string? url = null;
        for (var i = 0; i < 300 && url is null; i++)
        {
            url = panel.Output.Split('\n').FirstOrDefault(l => l.StartsWith("SETUP URL: "))?["SETUP URL: ".Length..];
            if (url is null) await Task.Delay(100);
        }
        await page.GotoAsync(url ?? throw new InvalidOperationException("the panel printed no setup URL:\n" + panel.Output));
        await page.FillAsync("#password", "figures benchmark password");
        await page.FillAsync("#confirm", "figures benchmark password");
        await page.ClickAsync("#setup-submit");
        await page.WaitForURLAsync(panel.BaseUrl + "/");
        await page.Locator("body[data-ready='1']").WaitForAsync();
    }

    /// <summary>The reference's page, with a click answered over its circuit.</summary>
    static async Task OpenReferencePageAsync(IPage page, ServedProcess reference)
    {
        await page.GotoAsync("/");
        var button = page.Locator("[data-test='click']");
        // Clicks before the circuit is up fall on the prerendered page and change nothing.
        for (var i = 0; i < 100 && (await button.TextContentAsync())!.Contains("Clicked 0"); i++)
        {
            await button.ClickAsync();
            await Task.Delay(100);
        }
        if ((await button.TextContentAsync())!.Contains("Clicked 0")) throw new InvalidOperationException("the reference page never answered a click");
    }

    /// <summary>Median milliseconds from the process's start to its first /healthz 200.</summary>
    static async Task<double> StartsAsync(string binary, Func<string, IEnumerable<string>> argv, int samples)
    {
        var times = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            await using var served = await ServedProcess.StartAsync(binary, argv);
            times.Add(served.StartMs);
        }
        Console.WriteLine($"{Path.GetFileName(binary)} starts (ms): {string.Join(" ", times.Select(t => t.ToString("0")))}");
        return Measure.Median(times);
    }

    /// <summary>Median seconds of a command run to its end.</summary>
    static Task<double> CommandAsync(string binary, string[] argv, int samples) =>
        Measure.TimesAsync($"{Path.GetFileName(binary)} {string.Join(' ', argv)}", samples, _ => Measure.RunAsync(binary, argv, new()));

    static void Print(IReadOnlyList<Row> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| figure | ours | reference | ratio | target | met |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Figure} | {r.Ours:0.##} | {r.Reference:0.##} | {(r.Reference is > 0 ? $"{r.Ours / r.Reference:0.00}" : "")} | {r.Target} | {r.Met switch { true => "met", false => "NOT met", null => "" }} |");
        Console.WriteLine($"figures: {rows.Count(r => r.Met == true)} of {rows.Count(r => r.Met is not null)} targets met");
    }

    static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
}
