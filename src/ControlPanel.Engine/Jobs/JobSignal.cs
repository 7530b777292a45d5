namespace ControlPanel.Engine.Jobs;

/// <summary>
/// Wakes the workers of this process when a job may be waiting: at once when this process queued it, and on a slow
/// tick for jobs queued by other processes. Idle workers block here instead of each polling the database.
/// </summary>
sealed class JobSignal
{
    TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The wake-up the caller waits for; take it before looking for work, so a pulse in between is not missed.</summary>
    public Task Next => Volatile.Read(ref next).Task;

    public void Pulse() => Interlocked.Exchange(ref next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
