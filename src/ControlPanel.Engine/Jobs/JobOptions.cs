using ControlPanel.Engine.Runs;

namespace ControlPanel.Engine.Jobs;

/// <summary>How this process takes part in the job system.</summary>
public sealed record JobOptions
{
    /// <summary>The queue whose jobs this process executes (<see cref="RunQueueNames"/>).</summary>
    public string Queue { get; init; } = RunQueueNames.ForThisProcess();
    /// <summary>Runs executed at once by this process: each running run holds a worker for its whole length.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>Start the workers with the first job this process queues for itself (the CLI); the panel starts them itself, after recovery.</summary>
    public bool StartOnEnqueue { get; init; } = true;
    /// <summary>
    /// Whether this process's server also keeps the job storage (expired jobs removed, counters aggregated) and starts
    /// recurring jobs: the panel, which lives on. A CLI process on SQLite only executes what it queued for itself:
    /// those four threads only took CPU beside its run (1.7 % of `cert issue`'s samples under perf). On PostgreSQL the
    /// storage's processes also renew the claims of running jobs, so every server runs them.
    /// </summary>
    public bool KeepsStorage { get; init; }
    /// <summary>
    /// After this long a job taken by a worker that never finished it is handed out again (Hangfire.Storage.SQLite has
    /// no sliding renewal: a longer run is delivered twice; its ticket makes the second delivery do nothing). On
    /// PostgreSQL, whose claims are renewed while the worker lives, at most <see cref="HangfireRunQueue.PostgresInvisibility"/>.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>How often workers look for jobs queued by another process (their own process wakes them at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
