using ControlPanel.TestPeers;

namespace ControlPanel.Benchmarks;

/// <summary>Cold start of `controlpanel serve` to the first /healthz 200, and its idle RSS after start.</summary>
public sealed class ServeStartupBenchmark : IBenchmark
{
    public string Name => "serve";
    public string Description => "cold start of serve to first /healthz 200 (fresh data dir each time), idle RSS";

    public async Task RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0]) : 5;
        var binary = Binary();
        var rss = new List<long>();
        var starts = await ColdStartsAsync(binary, runs, p => rss.Add(p.Memory().Rss));
        rss.Sort();
        Console.WriteLine($"serve cold start to /healthz 200: median {starts[starts.Count / 2]:0} ms, min {starts[0]:0} ms, max {starts[^1]:0} ms ({runs} runs, fresh data dir: migrations included)");
        Console.WriteLine($"serve idle RSS 5 s after start: median {rss[rss.Count / 2] / 1024.0:0.0} MiB");
    }

    /// <summary>The build to measure: CONTROLPANEL's, or this tree's.</summary>
    internal static string Binary() =>
        Environment.GetEnvironmentVariable("CONTROLPANEL") is { Length: > 0 } chosen ? chosen : RepoPaths.Binary("src/ControlPanel", "controlpanel");

    /// <summary>Starts `serve` on a fresh data directory <paramref name="runs"/> times; the times to its first /healthz 200 (ms), sorted.</summary>
    /// <param name="afterStart">Looks at the process 5 s after it answered (the idle RSS), when given.</param>
    internal static async Task<List<double>> ColdStartsAsync(string binary, int runs, Action<ServedProcess>? afterStart = null)
    {
        var starts = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var data = Path.Combine(Path.GetTempPath(), "cp-bench-" + Guid.NewGuid().ToString("N")[..8]);
            await using (var served = await ServedProcess.StartAsync(binary, url => ["serve", "--urls", url, "--data", data]))
            {
                starts.Add(served.StartMs);
                if (afterStart is not null)
                {
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    afterStart(served);
                }
            }
            Directory.Delete(data, true);
        }
        starts.Sort();
        return starts;
    }
}
