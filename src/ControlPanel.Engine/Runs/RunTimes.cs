using ControlPanel.Engine.Data;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// How long a run took: the wall time from its first start (a re-run or a resume does not restart the clock) to its end,
/// or to now while it is queued or running, and each attempt's own time, read from the run's history (each attempt
/// records Running when it starts and its outcome when it ends).
/// </summary>
public sealed record RunTimes(TimeSpan? Wall, IReadOnlyList<TimeSpan> Attempts)
{
    public static RunTimes Of(RunRecord run, IEnumerable<RunEventRecord> events, DateTime now)
    {
        var attempts = new List<TimeSpan>();
        DateTime? first = null, open = null;
        foreach (var e in events.Where(e => e.RunId == run.Id && e.StageIndex is null).OrderBy(e => e.Id))
        {
            if (e.State == RunState.Running)
            {
                first ??= e.At;
                open = e.At;
            }
            else if (open is { } start && e.State != RunState.Queued)
            {
                attempts.Add(e.At - start);
                open = null;
            }
        }
        var active = run.State is RunState.Running or RunState.Queued;
        if (open is { } current && run.State == RunState.Running) attempts.Add(now - current);
        var begin = first ?? run.StartedAt;
        var end = active ? now : run.EndedAt;
        return new(begin is { } b && end is { } f ? f - b : null, attempts);
    }
}
