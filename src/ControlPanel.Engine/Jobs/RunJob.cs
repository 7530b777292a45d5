using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using Hangfire;
using Hangfire.Server;
using Hangfire.States;

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

    /// <param name="context">Given by Hangfire (null when queued).</param>
    /// <param name="cancellation">Given by Hangfire.</param>
    [JobDisplayName("{0}")]
    public async Task ExecuteAsync(string title, long runId, string ticket, RerunMode mode, int? stageIndex, PerformContext? context, CancellationToken cancellation)
    {
        // Hangfire also fires its token when another worker took the job (handed out again after the invisibility
        // timeout): that delivery finds the ticket used and does nothing, so this one must go on. Only the process
        // stopping (the run is interrupted, to resume) or the job deleted from the dashboard (cancelled) stop it.
        using var stop = new CancellationTokenSource();
        using var watch = cancellation.Register(() =>
        {
            if (engine.Queue.IsStopping || IsDeleted(context)) stop.Cancel();
        });
        var state = await engine.ExecuteAsync(new RunJobRequest(runId, ticket, mode, stageIndex, title), stop.Token);
        // null: another delivery of this job executed the run, or a newer job superseded it; nothing was done here.
        if (state is { } s and not RunState.Succeeded)
            throw new RunDidNotSucceedException($"run {runId} ended {s}; see the run's page for its stages and log");
    }

    static bool IsDeleted(PerformContext? context) =>
        context is not null && context.Connection.GetStateData(context.BackgroundJob.Id)?.Name == DeletedState.StateName;
}
