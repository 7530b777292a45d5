namespace ControlPanel.Engine.Runs;

/// <summary>
/// One execution of a run, as the job system carries it. The ticket is issued when the run is queued and consumed
/// when an execution claims the run: a job delivered twice (or an old job found again after a restart) finds its
/// ticket gone and does nothing.
/// </summary>
public sealed record RunJobRequest(long RunId, string Ticket, RerunMode Mode, int? StageIndex, string Title);

/// <summary>Where queued runs wait for a worker: Hangfire in the product (<c>Jobs/</c>), never our own queue.</summary>
public interface IRunQueue
{
    /// <summary>The queue whose jobs this process executes (<see cref="RunQueueNames"/>).</summary>
    string Name { get; }

    /// <summary>Queues the execution on <paramref name="queue"/>; returns the job's id.</summary>
    string Enqueue(RunJobRequest job, string queue);

    /// <summary>Queues the take-over of a recorded batch by whoever serves <paramref name="queue"/>; returns the job's id.</summary>
    string EnqueueBatch(long batchId, string queue);

    /// <summary>True while this process is shutting down: a run it stops is interrupted (resumable), not cancelled.</summary>
    bool IsStopping { get; }
}
