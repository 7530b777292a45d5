using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Runs;

/// <summary>A run that was queued; <see cref="Completion"/> ends with its final state, whichever process executes it.</summary>
public sealed class RunHandle(long runId, Func<Task<RunState>> waitForEnd)
{
    readonly Lazy<Task<RunState>> completion = new(waitForEnd);

    public long RunId => runId;
    /// <summary>Watched only once asked for: a face that just shows the run never pays for waiting on it.</summary>
    public Task<RunState> Completion => completion.Value;
}

public enum RerunMode
{
    /// <summary>Continue from the first stage that is not done (after a failure, a cancel or an interruption).</summary>
    Resume,
    /// <summary>Run again from a named stage onwards, even stages that were done.</summary>
    From,
    /// <summary>Run one named stage alone.</summary>
    Only,
}
