using System.Diagnostics;

namespace ControlPanel.Web;

/// <summary>
/// Where the panel's start goes: each phase's time, from the process's own start, logged in one line once the panel
/// listens and again when its job server runs. A slow start on a small or emulated host says by itself what to look at.
/// </summary>
public sealed class StartupPhases
{
    readonly DateTime processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    readonly List<(string Phase, TimeSpan At)> marks = [];
    readonly TaskCompletionSource firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the panel has sent its first response (whatever the request).</summary>
    public Task FirstAnswer => firstAnswer.Task;

    /// <summary>Called after each response; the first one ends the phase "first answer".</summary>
    public void Answered()
    {
        if (firstAnswer.Task.IsCompleted) return;
        lock (marks)
        {
            if (firstAnswer.Task.IsCompleted) return;
            marks.Add(("first answer", DateTime.UtcNow - processStart));
            firstAnswer.TrySetResult();
        }
    }

    /// <summary>Ends the phase called <paramref name="phase"/> now (it began where the one before ended).</summary>
    public void End(string phase)
    {
        lock (marks) marks.Add((phase, DateTime.UtcNow - processStart));
    }

    public TimeSpan Total
    {
        get { lock (marks) return marks.Count == 0 ? TimeSpan.Zero : marks[^1].At; }
    }

    /// <summary>"runtime 80 ms, database 40 ms, ...": each phase's own time, in the order they ended.</summary>
    public override string ToString()
    {
        lock (marks)
            return string.Join(", ", marks.Select((m, i) => $"{m.Phase} {(m.At - (i == 0 ? TimeSpan.Zero : marks[i - 1].At)).TotalMilliseconds:0} ms"));
    }
}
