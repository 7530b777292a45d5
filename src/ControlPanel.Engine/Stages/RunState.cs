namespace ControlPanel.Engine.Stages;

/// <summary>States of runs and stage runs. Skipped: the check found the desired state already there.</summary>
public enum RunState { Queued, Running, Succeeded, Failed, Cancelled, Interrupted, Skipped }

public static class RunStateExtensions
{
    public static bool IsFinal(this RunState s) => s is RunState.Succeeded or RunState.Failed or RunState.Cancelled or RunState.Skipped;
    /// <summary>A stage in one of these states needs no more work on resume.</summary>
    public static bool IsDone(this RunState s) => s is RunState.Succeeded or RunState.Skipped;
}
