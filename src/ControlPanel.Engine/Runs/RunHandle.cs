namespace ControlPanel.Engine.Runs;

/// <summary>A run being executed by this process; Completion ends with the run's final state.</summary>
public sealed record RunHandle(long RunId, Task<RunState> Completion);

public enum RerunMode
{
    /// <summary>Continue from the first stage that is not done (after a failure, a cancel or an interruption).</summary>
    Resume,
    /// <summary>Run again from a named stage onwards, even stages that were done.</summary>
    From,
    /// <summary>Run one named stage alone.</summary>
    Only,
}
