using ControlPanel.Engine.Data;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>
/// Prints a run's stage transitions as they happen, until it ends, with the log's signs of life (a download's bytes,
/// what a quiet stage waits for), or every log line when asked.
/// </summary>
public static class RunPrinter
{
    /// <param name="prefix">Put before every line; a batch prints several hosts at once ("edge1 | ").</param>
    public static async Task<RunState> FollowAsync(string dataDirectory, long runId, bool showLog, CancellationToken cancellation = default, string prefix = "")
    {
        var printed = new Dictionary<int, (RunState, int)>();
        var tail = new LogTail(new LogStore(dataDirectory), runId);
        var runs = new RunQueries(dataDirectory);
        while (true)
        {
            var run = await runs.FindAsync(runId, cancellation) ?? throw new KeyNotFoundException($"run {runId} does not exist");
            foreach (var e in tail.ReadNew())
                if (showLog || e.Kind == LogKind.Progress) Console.WriteLine(prefix + LogLine(e));
            foreach (var s in run.Stages.OrderBy(s => s.Index))
            {
                if (printed.TryGetValue(s.Index, out var seen) && seen == (s.State, s.Attempts)) continue;
                if (s.State == RunState.Queued && !printed.ContainsKey(s.Index)) continue;
                printed[s.Index] = (s.State, s.Attempts);
                Console.WriteLine(prefix + StageLine(s, run.Stages.Count));
            }
            if (run.State is not (RunState.Running or RunState.Queued))
            {
                Console.WriteLine($"{prefix}run {run.Id} {run.State.ToString().ToLowerInvariant()}" + (run.Error is null ? "" : ": " + Printable.Escape(run.Error)));
                if (run.State == RunState.Failed && !showLog) PrintFailureTail(dataDirectory, run, prefix);
                return run.State;
            }
            await Task.Delay(200, cancellation);
        }
    }

    public static string StageLine(StageRunRecord s, int total)
    {
        var duration = s.StartedAt is { } a && s.EndedAt is { } b ? $" ({(b - a).TotalSeconds:0.0} s)" : "";
        var attempts = s.Attempts > 1 ? $" attempt {s.Attempts}" : "";
        var detail = s.State switch
        {
            RunState.Skipped => " — already in place: " + Printable.Escape(s.CheckReason ?? ""),
            RunState.Failed or RunState.Cancelled or RunState.Interrupted when s.Error is not null => " — " + Printable.Escape(s.Error),
            _ => "",
        };
        return $"[{s.Index + 1}/{total}] {s.Name,-16} {s.State}{attempts}{duration}{detail}";
    }

    public static string LogLine(LogEntry e) =>
        $"{e.At:HH:mm:ss.fff} {(e.Kind is LogKind.Err ? "!" : e.Kind is LogKind.Warn ? "*" : e.Kind is LogKind.Info ? "#" : e.Kind is LogKind.Progress ? "~" : " ")} {Printable.Escape(e.Text)}";

    static void PrintFailureTail(string dataDirectory, RunRecord run, string prefix)
    {
        var failed = run.Stages.FirstOrDefault(s => s.State == RunState.Failed);
        if (failed is null) return;
        var lines = new LogStore(dataDirectory).Read(run.Id, failed.Index).TakeLast(15).ToList();
        if (lines.Count == 0) return;
        Console.WriteLine($"{prefix}last lines of {failed.Name}'s log (controlpanel logs {run.Id} --stage {failed.Name}):");
        foreach (var e in lines) Console.WriteLine(prefix + "  " + LogLine(e));
    }
}
