using System.Diagnostics;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;
using ControlPanel.TestPeers;

namespace ControlPanel.Benchmarks;

/// <summary>A stage printing 200,000 lines: throughput to the persisted log and to a live subscriber; lines lost.</summary>
public sealed class LogThroughputBenchmark : IBenchmark
{
    public string Name => "logs";
    public string Description => "a stage printing 200,000 lines: lines/s to the log file and to a live subscriber, none lost";

    public async Task RunAsync(string[] args)
    {
        var lines = args.Length > 0 ? int.Parse(args[0]) : 200_000;
        var root = Path.Combine(Path.GetTempPath(), "cp-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(root, "data");
        var work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        try
        {
            ControlPanelDb.Migrate(data);
            File.WriteAllText(Path.Combine(work, "lines-print"), lines.ToString());
            // The stage waits on block-print until the subscriber is attached, so the subscriber can see every line.
            File.WriteAllText(Path.Combine(work, "block-print"), "");
            var hub = new LogHub();
            await using var engines = new TestEngines();
            var engine = engines.Create(new EngineOptions(data), MarkerPlan.Catalog(), hub);
            var handle = await engine.StartAsync(MarkerPlan.Request(work, "print"), "local");
            using var subscription = hub.Subscribe(handle.RunId);
            long received = 0, outLines = 0;
            var lastLineAt = TimeSpan.Zero;
            var watch = new Stopwatch();
            var reader = Task.Run(async () =>
            {
                await foreach (var e in subscription.Reader.ReadAllAsync())
                {
                    received++;
                    if (e.Kind == LogKind.Out && ++outLines == lines) { lastLineAt = watch.Elapsed; return; }
                }
            });
            watch.Start();
            File.Delete(Path.Combine(work, "block-print"));
            var state = await handle.Completion;
            var persistedAt = watch.Elapsed;
            await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(30)));
            var persisted = engine.Logs.Read(handle.RunId).Count(e => e.Kind == LogKind.Out);
            Console.WriteLine($"run state: {state}");
            Console.WriteLine($"persisted: {persisted} of {lines} lines in {persistedAt.TotalSeconds:0.00} s = {persisted / persistedAt.TotalSeconds:0} lines/s (stage end incl. file flush and DB update)");
            Console.WriteLine($"live subscriber: {outLines} of {lines} lines, last one after {lastLineAt.TotalSeconds:0.00} s = {outLines / Math.Max(lastLineAt.TotalSeconds, 1e-9):0} lines/s");
            Console.WriteLine($"lines lost: file {lines - persisted}, subscriber {lines - outLines}");
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
