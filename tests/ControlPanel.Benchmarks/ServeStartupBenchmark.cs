using System.Diagnostics;
using System.Net;
using ControlPanel.TestPeers;

namespace ControlPanel.Benchmarks;

/// <summary>Cold start of `controlpanel serve` to the first /healthz 200, and its idle RSS after start.</summary>
public sealed class ServeStartupBenchmark : IBenchmark
{
    public string Name => "serve";
    public string Description => "cold start of serve to first /healthz 200 (fresh data dir each time), idle RSS";

    public async Task RunAsync(string[] args)
    {
        var binary = RepoPaths.Binary("src/ControlPanel", "controlpanel");
        var runs = args.Length > 0 ? int.Parse(args[0]) : 5;
        var starts = new List<double>();
        var rss = new List<long>();
        using var http = new HttpClient();
        for (var i = 0; i < runs; i++)
        {
            var data = Path.Combine(Path.GetTempPath(), "cp-bench-" + Guid.NewGuid().ToString("N")[..8]);
            var port = LoopbackPorts.Tcp();
            var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "serve", "--urls", $"http://127.0.0.1:{port}", "--data", data }) psi.ArgumentList.Add(a);
            var watch = Stopwatch.StartNew();
            using var p = Process.Start(psi)!;
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync($"http://127.0.0.1:{port}/healthz")).StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { }
                await Task.Delay(5);
            }
            starts.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(TimeSpan.FromSeconds(5));
            rss.Add(RssKb(p.Id));
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            Directory.Delete(data, true);
        }
        starts.Sort();
        rss.Sort();
        Console.WriteLine($"serve cold start to /healthz 200: median {starts[starts.Count / 2]:0} ms, min {starts[0]:0} ms, max {starts[^1]:0} ms ({runs} runs, fresh data dir: migrations included)");
        Console.WriteLine($"serve idle RSS 5 s after start: median {rss[rss.Count / 2] / 1024.0:0.0} MiB");
    }

    internal static long RssKb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
