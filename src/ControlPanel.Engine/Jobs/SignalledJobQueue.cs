using Hangfire.Storage;
using Hangfire.Storage.SQLite;
using Hangfire.Storage.SQLite.Entities;

namespace ControlPanel.Engine.Jobs;

/// <summary>
/// Hangfire.Storage.SQLite's job queue with two changes: a worker claims a job with one conditional UPDATE (two
/// processes can never both take it: the stock queue reads, then writes, under an in-process lock only), and idle
/// workers wait on <see cref="JobSignal"/> instead of polling every QueuePollInterval (15 s by default: a run
/// queued from the panel would wait that long).
/// </summary>
sealed class SignalledJobQueue(HangfireDbContext db, JobOptions options, JobSignal signal) : IPersistentJobQueue
{
    public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var wake = signal.Next;
            foreach (var queue in queues)
                if (TryClaim(queue) is { } job) return new SQLiteFetchedJob(db, job.Id, job.JobId, job.Queue);
            wake.Wait(cancellationToken);
        }
    }

    public void Enqueue(string queue, string jobId)
    {
        db.Database.Insert(new JobQueue { JobId = int.Parse(jobId), Queue = queue });
        signal.Pulse();
    }

    /// <summary>A job nobody holds, or one whose holder has not finished it within the invisibility timeout.</summary>
    internal static bool IsFetchable(HangfireDbContext db, string queue, TimeSpan invisibility)
    {
        var expired = DateTime.UtcNow - invisibility;
        return db.JobQueueRepository.Any(q => q.Queue == queue && (q.FetchedAt == DateTime.MinValue || q.FetchedAt < expired));
    }

    JobQueue? TryClaim(string queue)
    {
        var expired = DateTime.UtcNow - options.InvisibilityTimeout;
        var candidates = db.JobQueueRepository
            .Where(q => q.Queue == queue && (q.FetchedAt == DateTime.MinValue || q.FetchedAt < expired))
            .OrderBy(q => q.Id).Take(8).ToList();
        foreach (var job in candidates)
        {
            var now = DateTime.UtcNow;
            if (db.Database.Execute("UPDATE JobQueue SET FetchedAt = ? WHERE Id = ? AND FetchedAt = ?", now, job.Id, job.FetchedAt) == 1)
            {
                job.FetchedAt = now;
                return job;
            }
        }
        return null;
    }
}

/// <summary>Hands Hangfire.Storage.SQLite our queue for the queues this process serves; monitoring stays the stock one.</summary>
sealed class SignalledJobQueueProvider(JobOptions options, JobSignal signal) : IPersistentJobQueueProvider
{
    public IPersistentJobQueue GetJobQueue(HangfireDbContext connection) => new SignalledJobQueue(connection, options, signal);
    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi(HangfireDbContext connection) => new SQLiteJobQueueMonitoringApi(connection);
}
