using System.Diagnostics;
using System.Text.Json;
using ControlPanel.Engine.Logging;
using ControlPanel.Tests.Support;
using Microsoft.Playwright;

namespace ControlPanel.Benchmarks;

/// <summary>
/// N browser sessions (default 20) watch one run whose stage prints R lines/s (default 5,000) for S seconds,
/// against the real `controlpanel serve` with the FIXTURE plans. Prints the panel's RSS and CPU, the delay
/// from a line being logged (its timestamp in the log file) to the page's line count covering it (median, p95),
/// and lines lost per page (final count vs. the log files).
/// The rate reached is measured over the printed lines only (first to last), so it says whether the panel kept up
/// with the printer: a printer slowed by the panel's reading would show here, since its pipe would fill.
/// Usage: panel-livelog [sessions] [lines-per-second] [seconds]
/// </summary>
public sealed class PanelLiveLogBenchmark : IBenchmark
{
    public string Name => "panel-livelog";
    public string Description => "20 browser sessions watching a run printing 5,000 lines/s: panel RSS/CPU, line-to-page delay, lines lost";

    const string RecorderScript = """
        () => {
          const el = document.querySelector("[data-test='live-log']");
          window.__samples = [[Date.now(), Number(el.dataset.count), Number(el.dataset.rendered)]];
          new MutationObserver(() => window.__samples.push([Date.now(), Number(el.dataset.count), Number(el.dataset.rendered)]))
            .observe(el, { attributes: true, attributeFilter: ['data-count'] });
        }
        """;

    public async Task RunAsync(string[] args)
    {
        var sessions = args.Length > 0 ? int.Parse(args[0]) : 20;
        var rate = args.Length > 1 ? int.Parse(args[1]) : 5000;
        var seconds = args.Length > 2 ? int.Parse(args[2]) : 20;
        var total = rate * seconds;

        await using var server = await PanelServer.StartAsync();
        server.SetFixture("rate", rate.ToString());
        server.SetFixture("lines-containerd", total.ToString());
        // The fast output waits until every session has opened the run.
        server.SetFixture("hold-containerd", "");

        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            var admin = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl });
            var page = await admin.NewPageAsync();
            await PanelFlows.SetUpAdminAsync(server, page);
            var runId = await PanelFlows.StartInstallAsync(page);
            var state = await admin.StorageStateAsync();
            Console.WriteLine($"run {runId}: {total} lines at {rate}/s in stage containerd, {sessions} sessions");

            var pages = new List<IPage>();
            for (var i = 0; i < sessions; i++)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, StorageState = state });
                var p = await context.NewPageAsync();
                await p.GotoAsync($"/runs/{runId}");
                await p.Locator("body[data-ready='1']").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
                await p.EvaluateAsync(RecorderScript);
                pages.Add(p);
            }
            Console.WriteLine("all sessions watching; releasing the output");

            var usage = new ProcessUsage(server.ProcessId);
            await pages[0].Locator("[data-test='stages'] tr[data-stage='containerd'][data-state='Running']")
                .WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
            usage.Start();
            var machineStart = MachineCpu.Sample();
            server.ClearFixture("hold-containerd");
            var peakRss = 0L;
            var watch = Stopwatch.StartNew();
            while (true)
            {
                peakRss = Math.Max(peakRss, ProcessUsage.RssBytes(server.ProcessId));
                var stageState = await pages[0].Locator("[data-test='stages'] tr[data-stage='containerd']").GetAttributeAsync("data-state");
                if (stageState != "Running" || watch.Elapsed > TimeSpan.FromSeconds(seconds * 4 + 60)) break;
                await Task.Delay(250);
            }
            var cpu = usage.Stop();
            var machineBusy = MachineCpu.BusyPercentSince(machineStart);
            // Lost lines are counted once the whole run is over and the last batch had time to reach every page.
            await pages[0].Locator("[data-test='run'][data-state='Succeeded']").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
            await Task.Delay(2000);

            var entries = new LogStore(server.DataDirectory).Read(runId).ToList();
            var stageIndex = 3; // containerd
            // The printed lines only: the stage's own first line is logged when it starts, before the hold that waits
            // for every session, and would count the page-opening time as printing time (and as delay).
            bool Printed(LogEntry e) => e.StageIndex == stageIndex && e.Kind == LogKind.Out;
            var firstIndex = entries.FindIndex(Printed);
            var lastIndex = entries.FindLastIndex(Printed);
            var delays = new List<double>();
            var serverDelays = new List<double>();
            var worstPageP95 = 0.0;
            var lost = new List<long>();
            foreach (var p in pages)
            {
                var samples = JsonSerializer.Deserialize<long[][]>(await p.EvaluateAsync<JsonElement>("() => window.__samples"))!;
                var finalCount = long.Parse(await p.Locator("[data-test='live-log']").GetAttributeAsync("data-count") ?? "0");
                lost.Add(entries.Count - finalCount);
                var s = 0;
                var pageDelays = new List<double>();
                for (var i = firstIndex; i <= lastIndex; i++)
                {
                    while (s < samples.Length && samples[s][1] <= i) s++;
                    if (s == samples.Length) break;
                    var loggedAt = new DateTimeOffset(DateTime.SpecifyKind(entries[i].At, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
                    pageDelays.Add(samples[s][0] - loggedAt);
                    serverDelays.Add(samples[s][2] - loggedAt);
                }
                pageDelays.Sort();
                worstPageP95 = Math.Max(worstPageP95, Percentile(pageDelays, 0.95));
                delays.AddRange(pageDelays);
            }
            delays.Sort();
            serverDelays.Sort();
            var stageLines = entries.Where(Printed).ToList();
            var printSeconds = (stageLines[^1].At - stageLines[0].At).TotalSeconds;

            Console.WriteLine($"sessions: {sessions}");
            Console.WriteLine($"lines printed: {stageLines.Count} in {printSeconds:0.0} s ({stageLines.Count / Math.Max(printSeconds, 0.001):0} lines/s)");
            Console.WriteLine($"panel cpu: {cpu:0.0} % of one core (average while printing); whole machine {machineBusy:0} % busy on {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} (browsers and other jobs included)");
            Console.WriteLine($"panel rss: {ProcessUsage.RssBytes(server.ProcessId) / 1048576.0:0} MiB at end, {peakRss / 1048576.0:0} MiB peak sampled");
            Console.WriteLine($"line-to-page delay: median {Percentile(delays, 0.5):0} ms, p95 {Percentile(delays, 0.95):0} ms, max {delays.LastOrDefault():0} ms ({delays.Count} line-page pairs)");
            Console.WriteLine($"  of which in the panel (line logged -> batch rendered): median {Percentile(serverDelays, 0.5):0} ms, p95 {Percentile(serverDelays, 0.95):0} ms; worst page p95 {worstPageP95:0} ms");
            Console.WriteLine($"lines lost: {lost.Sum()} (per page max {lost.Max()}, total lines in the log {entries.Count})");
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>How busy all cores were (from /proc/stat): the browsers run on the same machine as the panel.</summary>
    static class MachineCpu
    {
        public static (long Busy, long Total) Sample()
        {
            var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            var idle = f[3] + f[4];
            return (f.Sum() - idle, f.Sum());
        }

        public static double BusyPercentSince((long Busy, long Total) start)
        {
            var now = Sample();
            return 100.0 * (now.Busy - start.Busy) / Math.Max(1, now.Total - start.Total);
        }
    }

    /// <summary>CPU time and RSS of a process from /proc.</summary>
    sealed class ProcessUsage(int pid)
    {
        long startTicks;
        Stopwatch wall = new();

        public void Start() { startTicks = CpuTicks(); wall = Stopwatch.StartNew(); }

        /// <summary>Average CPU since Start, in percent of one core (clock ticks are 1/100 s on Linux).</summary>
        public double Stop() => (CpuTicks() - startTicks) / 100.0 / wall.Elapsed.TotalSeconds * 100;

        long CpuTicks()
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime
        }

        public static long RssBytes(int pid) =>
            File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).FirstOrDefault();
    }
}
