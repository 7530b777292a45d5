using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;

namespace ControlPanel.Web.Services;

/// <summary>
/// One shared, in-order copy of each watched run's log for every browser session watching it, so 20 viewers
/// cost one subscription and one file tail, not 20. A feed lives while someone watches, plus a short grace.
/// </summary>
public sealed class RunLogFeed(RunEngine engine, ILogger<RunLogFeed> log) : IDisposable
{
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    readonly Dictionary<long, RunLog> runs = new();
    readonly object gate = new();

    /// <summary>Starts (or joins) the feed of a run; dispose the lease when the view goes away.</summary>
    public RunLogLease Watch(long runId)
    {
        lock (gate)
        {
            if (!runs.TryGetValue(runId, out var run))
                runs[runId] = run = new RunLog(engine, runId, log);
            run.Viewers++;
            return new RunLogLease(run, () => Release(run));
        }
    }

    void Release(RunLog run)
    {
        lock (gate) run.Viewers--;
        _ = Task.Delay(Grace).ContinueWith(_ =>
        {
            lock (gate)
            {
                // Only this feed, and only if nobody came back to it meanwhile.
                if (run.Viewers > 0 || !runs.TryGetValue(run.RunId, out var current) || current != run) return;
                runs.Remove(run.RunId);
            }
            run.Dispose();
        }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var run in runs.Values) run.Dispose();
            runs.Clear();
        }
    }
}

public sealed class RunLogLease(RunLog log, Action release) : IDisposable
{
    int disposed;
    public RunLog Log => log;
    public void Dispose() { if (Interlocked.Exchange(ref disposed, 1) == 0) release(); }
}

/// <summary>
/// A run's log lines in sequence order, without gaps or duplicates. Two sources are merged by sequence number:
/// the LogHub (immediate, for runs this process executes) and a LogTail over the files (for runs of another
/// process, e.g. a CLI run, and for lines written before the subscription started). Lines are only appended
/// in order: one that arrives ahead of a gap waits until the gap is filled from the files.
/// </summary>
public sealed class RunLog : IDisposable
{
    /// <summary>How long a gap in the sequence may stay open before later lines are shown anyway (a crashed writer).</summary>
    static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(3);
    static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(50);

    readonly long runId;
    readonly LogSubscription subscription;
    readonly LogTail tail;
    readonly List<LogEntry> entries = new();
    readonly SortedDictionary<long, LogEntry> pending = new();
    readonly Dictionary<int, int> perStage = new();
    readonly Dictionary<int, LogEntry> lastOfStage = new();
    readonly CancellationTokenSource stop = new();
    readonly ILogger log;
    long lastSeq;
    DateTime? gapSince;

    internal RunLog(RunEngine engine, long runId, ILogger log)
    {
        this.runId = runId;
        this.log = log;
        // Subscribe before the first file read, so no line falls between the two.
        subscription = engine.Hub.Subscribe(runId);
        tail = new LogTail(engine.Logs, runId);
        Pump();
        _ = Task.Run(LoopAsync);
    }

    public long RunId => runId;
    internal int Viewers { get; set; }

    public int Count { get { lock (entries) return entries.Count; } }

    public LogEntry this[int index] { get { lock (entries) return entries[index]; } }

    public List<LogEntry> Range(int start, int count)
    {
        lock (entries)
        {
            start = Math.Clamp(start, 0, entries.Count);
            return entries.GetRange(start, Math.Min(count, entries.Count - start));
        }
    }

    /// <summary>Indexes (from a position on) of lines containing the text, case-insensitive.</summary>
    public List<int> Find(string text, int from)
    {
        var found = new List<int>();
        lock (entries)
            for (var i = from; i < entries.Count; i++)
                if (entries[i].Text.Contains(text, StringComparison.OrdinalIgnoreCase)) found.Add(i);
        return found;
    }

    public int LinesOfStage(int stageIndex) { lock (entries) return perStage.GetValueOrDefault(stageIndex); }

    /// <summary>The stage's sign of life (a download's progress, what it waits for) while that is its latest line.</summary>
    public LogEntry? ActivityOfStage(int stageIndex)
    {
        lock (entries) return lastOfStage.GetValueOrDefault(stageIndex) is { Kind: LogKind.Progress } e ? e : null;
    }

    async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(PumpInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token)) Pump();
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { log.LogError(e, "log feed of run {Run} stopped", runId); }
    }

    void Pump()
    {
        while (subscription.Reader.TryRead(out var e))
            if (e.Seq > lastSeq) pending.TryAdd(e.Seq, e);
        List<LogEntry> fromFiles;
        try { fromFiles = tail.ReadNew(); }
        catch (IOException) { fromFiles = []; } // a file deleted or replaced under us (run deleted): try again next time
        foreach (var e in fromFiles)
            if (e.Seq > lastSeq) pending.TryAdd(e.Seq, e);
        if (pending.Count == 0) return;

        var ready = new List<LogEntry>();
        while (pending.Count > 0)
        {
            var (seq, entry) = pending.First();
            if (seq != lastSeq + 1 && !GapExpired()) break;
            pending.Remove(seq);
            lastSeq = seq;
            ready.Add(entry);
            gapSince = null;
        }
        if (pending.Count > 0) gapSince ??= DateTime.UtcNow;
        if (ready.Count == 0) return;
        lock (entries)
        {
            entries.AddRange(ready);
            foreach (var e in ready)
            {
                perStage[e.StageIndex] = perStage.GetValueOrDefault(e.StageIndex) + 1;
                lastOfStage[e.StageIndex] = e;
            }
        }
    }

    bool GapExpired() => gapSince is { } since && DateTime.UtcNow - since > GapTimeout;

    public void Dispose()
    {
        stop.Cancel();
        subscription.Dispose();
    }
}
