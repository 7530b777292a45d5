using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ControlPanel.Engine.Logging;

/// <summary>
/// Live fan-out of log lines and run changes to whoever watches (web sessions, `logs --follow`).
/// Each subscriber has its own unbounded queue, so a slow browser never slows a stage nor loses lines.
/// </summary>
public sealed class LogHub
{
    readonly ConcurrentDictionary<long, ConcurrentDictionary<Channel<LogEntry>, byte>> subscribers = new();

    /// <summary>Raised after any change of a run's or a stage's state (run id).</summary>
    public event Action<long>? RunChanged;
    /// <summary>Raised when a batch started a host or passed one over (batch id).</summary>
    public event Action<long>? BatchChanged;

    public LogSubscription Subscribe(long runId)
    {
        var channel = Channel.CreateUnbounded<LogEntry>(new UnboundedChannelOptions { SingleReader = true });
        var set = subscribers.GetOrAdd(runId, _ => new());
        set[channel] = 0;
        return new LogSubscription(channel.Reader, () =>
        {
            set.TryRemove(channel, out _);
            channel.Writer.TryComplete();
        });
    }

    internal void Publish(LogEntry entry)
    {
        if (!subscribers.TryGetValue(entry.RunId, out var set)) return;
        foreach (var channel in set.Keys) channel.Writer.TryWrite(entry);
    }

    internal void NotifyRunChanged(long runId) => RunChanged?.Invoke(runId);
    internal void NotifyBatchChanged(long batchId) => BatchChanged?.Invoke(batchId);
}

public sealed class LogSubscription(ChannelReader<LogEntry> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<LogEntry> Reader => reader;
    public void Dispose() => unsubscribe();
}
