using System.Diagnostics;
using System.Text.Json;
using ControlPanel.Engine.Logging;
using ControlPanel.Tests.Support;
using Microsoft.Playwright;

namespace ControlPanel.Benchmarks;

/// <summary>
/// S sessions (default 50) and P browser pages (default 3) watch one run whose stage prints R lines/s (default 5,000)
/// for T seconds (default 30), against the real `controlpanel serve` with the FIXTURE plans. The sessions speak the
/// circuit protocol without a browser (<see cref="CircuitSession"/>): 50 Chromium renderers on 2 cores would measure
/// the renderers. The pages are real, for the end-to-end figure. Prints, from the line's timestamp in the log file:
/// to the panel's render of the batch that covers it (its `data-rendered` stamp), to that batch's arrival at a session,
/// to a page's DOM; lines lost and counts out of order per session; the panel's CPU while printing and its memory,
/// in total and per watcher. The rate reached is measured over the printed lines only (first to last), so it says
/// whether the panel kept up with the printer: a printer slowed by the panel's reading would show here.
/// Usage: panel-livelog [sessions] [pages] [lines-per-second] [seconds]
/// </summary>
public sealed class PanelLiveLogBenchmark : IBenchmark
{
    public string Name => "panel-livelog";
    public string Description => "50 sessions without a browser and 3 pages watching a run printing 5,000 lines/s for 30 s: delays, lines lost, panel CPU and memory per session";

    /// <summary>What a watcher saw at one moment: when (Unix ms), the log's line count, the panel's render stamp.</summary>
    sealed record Sample(long At, long Count, long Rendered);

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
        var sessionCount = args.Length > 0 ? int.Parse(args[0]) : 50;
        var pageCount = args.Length > 1 ? int.Parse(args[1]) : 3;
        var rate = args.Length > 2 ? int.Parse(args[2]) : 5000;
        var seconds = args.Length > 3 ? int.Parse(args[3]) : 30;
        if (pageCount < 1) throw new ArgumentException("pages: at least one (it watches the stage's state)");
        var total = rate * seconds;

        await using var server = await PanelServer.StartAsync();
        server.SetFixture("rate", rate.ToString());
        server.SetFixture("lines-containerd", total.ToString());
        // The fast output waits until every watcher has opened the run.
        server.SetFixture("hold-containerd", "");

        var (playwright, browser) = await Chromium.LaunchAsync();
        var sessions = new List<CircuitSession>();
        try
        {
            var admin = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl });
            var adminPage = await admin.NewPageAsync();
            await PanelFlows.SetUpAdminAsync(server, adminPage);
            var runId = await PanelFlows.StartInstallAsync(adminPage);
            var state = await admin.StorageStateAsync();
            var cookies = CircuitSession.CookiesOf(new Uri(server.BaseUrl), await admin.CookiesAsync());
            await admin.CloseAsync();
            Console.WriteLine($"run {runId}: {total} lines at {rate}/s in stage containerd; {sessionCount} sessions without a browser, {pageCount} pages");
            await Task.Delay(2000);
            var rssBefore = ProcessUsage.RssBytes(server.ProcessId);

            var sessionSamples = new List<List<Sample>>();
            for (var i = 0; i < sessionCount; i++)
            {
                var samples = new List<Sample>();
                sessionSamples.Add(samples);
                sessions.Add(await CircuitSession.OpenAsync(new Uri($"{server.BaseUrl}/runs/{runId}"), cookies, batch =>
                {
                    if (!batch.Values.TryGetValue("data-count", out var count)) return;
                    var rendered = batch.Values.TryGetValue("data-rendered", out var r) ? long.Parse(r!) : 0;
                    lock (samples) samples.Add(new Sample(batch.ReceivedAt.ToUnixTimeMilliseconds(), long.Parse(count!), rendered));
                }));
            }
            var pages = new List<IPage>();
            for (var i = 0; i < pageCount; i++)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl, StorageState = state });
                var p = await context.NewPageAsync();
                await p.GotoAsync($"/runs/{runId}");
                await p.Locator("body[data-ready='1']").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
                await p.EvaluateAsync(RecorderScript);
                pages.Add(p);
            }
            await Task.Delay(2000);
            var rssWatched = ProcessUsage.RssBytes(server.ProcessId);
            Console.WriteLine("all watching; releasing the output");

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
            // Lost lines are counted once the whole run is over and the last batch had time to reach every watcher.
            await pages[0].Locator("[data-test='run'][data-state='Succeeded']").WaitForAsync(new LocatorWaitForOptions { Timeout = 120_000 });
            await Task.Delay(2000);

            var entries = new LogStore(server.DataDirectory).Read(runId).ToList();
            var stageIndex = 3; // containerd
            // The printed lines only: the stage's own first line is logged when it starts, before the hold that waits
            // for every watcher, and would count the page-opening time as printing time (and as delay).
            bool Printed(LogEntry e) => e.StageIndex == stageIndex && e.Kind == LogKind.Out;
            var printed = (First: entries.FindIndex(Printed), Last: entries.FindLastIndex(Printed));
            var loggedAt = entries.Select(e => new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc)).ToUnixTimeMilliseconds()).ToArray();

            var pageSamples = new List<List<Sample>>();
            foreach (var p in pages)
                pageSamples.Add([.. JsonSerializer.Deserialize<long[][]>(await p.EvaluateAsync<JsonElement>("() => window.__samples"))!
                    .Select(s => new Sample(s[0], s[1], s[2]))]);
            var sessionDelays = Delays(sessionSamples, loggedAt, printed);
            var pageDelays = Delays(pageSamples, loggedAt, printed);
            var watchers = sessionSamples.Concat(pageSamples).ToList();
            var lost = watchers.Select(w => entries.Count - (w.Count == 0 ? 0 : w[^1].Count)).ToList();
            var disordered = watchers.Count(w => w.Zip(w.Skip(1)).Any(p => p.Second.Count < p.First.Count));
            var printSeconds = (entries[printed.Last].At - entries[printed.First].At).TotalSeconds;
            var printedCount = printed.Last - printed.First + 1;
            var mib = 1048576.0;

            Console.WriteLine($"watchers: {sessionCount} sessions without a browser (circuit protocol), {pageCount} Chromium pages");
            Console.WriteLine($"lines printed: {printedCount} in {printSeconds:0.0} s ({printedCount / Math.Max(printSeconds, 0.001):0} lines/s)");
            var inPanel = sessionDelays.Rendered.Concat(pageDelays.Rendered).Order().ToList();
            Console.WriteLine($"in the panel, line logged -> batch rendered (all watchers): median {Percentile(inPanel, 0.5):0} ms, p95 {Percentile(inPanel, 0.95):0} ms; worst watcher p95 {Math.Max(sessionDelays.WorstRenderedP95, pageDelays.WorstRenderedP95):0} ms");
            Console.WriteLine($"line logged -> batch at a session: median {Percentile(sessionDelays.Arrived, 0.5):0} ms, p95 {Percentile(sessionDelays.Arrived, 0.95):0} ms, max {sessionDelays.Arrived.LastOrDefault():0} ms; worst session p95 {sessionDelays.WorstArrivedP95:0} ms");
            Console.WriteLine($"line logged -> page's DOM: median {Percentile(pageDelays.Arrived, 0.5):0} ms, p95 {Percentile(pageDelays.Arrived, 0.95):0} ms, max {pageDelays.Arrived.LastOrDefault():0} ms");
            Console.WriteLine($"lines lost: {lost.Sum()} (per watcher max {lost.Max()}, total lines in the log {entries.Count}); watchers whose count ever fell: {disordered}");
            Console.WriteLine($"panel cpu: {cpu:0.0} % of one core while printing, {cpu / watchers.Count:0.00} % per watcher; whole machine {machineBusy:0} % busy on {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine($"panel rss: {rssBefore / mib:0} MiB before the watchers, {rssWatched / mib:0} MiB with them ({(rssWatched - rssBefore) / mib / watchers.Count:0.00} MiB per watcher), {peakRss / mib:0} MiB peak while printing, {ProcessUsage.RssBytes(server.ProcessId) / mib:0} MiB at end");
            Console.WriteLine($"session errors: {sessions.Sum(s => s.Errors.Count)}");
        }
        finally
        {
            foreach (var s in sessions) await s.DisposeAsync();
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    sealed record WatcherDelays(List<double> Arrived, List<double> Rendered, double WorstArrivedP95, double WorstRenderedP95);

    /// <summary>For each printed line and watcher, the first sample that covers it: its arrival and its render stamp, less the line's time.</summary>
    static WatcherDelays Delays(List<List<Sample>> watchers, long[] loggedAt, (int First, int Last) printed)
    {
        var arrived = new List<double>();
        var rendered = new List<double>();
        double worstArrived = 0, worstRendered = 0;
        foreach (var samples in watchers)
        {
            Sample[] seen;
            lock (samples) seen = [.. samples];
            var mine = new List<double>();
            var mineRendered = new List<double>();
            var s = 0;
            for (var i = printed.First; i <= printed.Last; i++)
            {
                while (s < seen.Length && seen[s].Count <= i) s++;
                if (s == seen.Length) break;
                mine.Add(seen[s].At - loggedAt[i]);
                mineRendered.Add(seen[s].Rendered - loggedAt[i]);
            }
            mine.Sort();
            mineRendered.Sort();
            worstArrived = Math.Max(worstArrived, Percentile(mine, 0.95));
            worstRendered = Math.Max(worstRendered, Percentile(mineRendered, 0.95));
            arrived.AddRange(mine);
            rendered.AddRange(mineRendered);
        }
        arrived.Sort();
        rendered.Sort();
        return new(arrived, rendered, worstArrived, worstRendered);
    }

    static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>How busy all cores were (from /proc/stat): the browsers and sessions run on the same machine as the panel.</summary>
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
