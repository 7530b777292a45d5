using ControlPanel.Engine.Runs;
using Hangfire;

namespace ControlPanel.Engine.Jobs;

/// <summary>
/// The Hangfire job that executes one queued run. Hangfire never retries it: the engine retries stages itself,
/// and a run that failed is re-run by a person or resumed, never repeated blind.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class RunJob(RunEngine engine)
{
    /// <summary>Thrown so that the dashboard shows a run that did not succeed as a failed job.</summary>
    public sealed class RunDidNotSucceedException(string message) : Exception(message);

    [JobDisplayName("{0}")]
    public async Task ExecuteAsync(string title, long runId, string ticket, RerunMode mode, int? stageIndex, CancellationToken cancellation)
    {
        var state = await engine.ExecuteAsync(new RunJobRequest(runId, ticket, mode, stageIndex, title), cancellation);
        // null: another delivery of this job executed the run, or a newer job superseded it; nothing was done here.
        if (state is { } s and not RunState.Succeeded)
            throw new RunDidNotSucceedException($"run {runId} ended {s}; see the run's page for its stages and log");
    }
}
