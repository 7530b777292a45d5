using System.Collections.Concurrent;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Logging;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// A run's news, the one path by which its changes reach the faces: after each change of a run (its state, a stage's,
/// its history) the engine publishes the run as it now stands (<see cref="RunDetail"/>), read once here for every
/// watcher. Runs executed by another process (a CLI, a panel that handed a run on, another node of the panel) arrive
/// the same way: the executing process tells the others through <see cref="IRunNewsChannel"/> (a marker file in the
/// run's folder on SQLite, PostgreSQL's NOTIFY when the nodes share a PostgreSQL database) and this process publishes
/// what it hears. Nobody polls the database for run changes.
/// </summary>
public sealed class RunNews : IDisposable
{
    readonly LogHub hub;
    readonly IRunNewsChannel channel;
    readonly RunQueries queries;
    readonly ConcurrentDictionary<long, Pending> pending = new();

    /// <summary>A run's news to read: one reader per run at a time, so its news goes out in order.</summary>
    sealed class Pending
    {
        public bool Dirty, MarkForOthers, Reading;
    }

    public RunNews(string dataDirectory, LogHub hub)
    {
        this.hub = hub;
        channel = DatabaseLocation.Of(dataDirectory) is { IsPostgres: true } postgres
            ? new PostgresRunNewsChannel(postgres)
            : new FileRunNewsChannel(Path.Combine(dataDirectory, "runs"));
        queries = new RunQueries(dataDirectory);
        hub.RunChanged += OnChangedHere;
    }

    /// <summary>Raised with the run as it stands after a change (on a thread of the engine's; a face marshals it itself).</summary>
    public event Action<RunDetail>? Changed;

    /// <summary>Also publish the changes of runs other processes execute (the panel does; a CLI command follows its own).</summary>
    public void WatchOtherProcesses() => channel.Listen(runId => Publish(runId, markForOthers: false));

    void OnChangedHere(long runId) => Publish(runId, markForOthers: true);

    /// <summary>
    /// Reads the run once for all watchers, one read at a time per run (news never overtakes newer news); changes that
    /// come during a read are read again after it.
    /// </summary>
    void Publish(long runId, bool markForOthers)
    {
        var state = pending.GetOrAdd(runId, _ => new Pending());
        lock (state)
        {
            state.Dirty = true;
            state.MarkForOthers |= markForOthers;
            if (state.Reading) return;
            state.Reading = true;
        }
        _ = Task.Run(async () =>
        {
            while (true)
            {
                bool mark;
                lock (state)
                {
                    if (!state.Dirty)
                    {
                        // The state stays in the map (a few bytes a run): removing it could let two readers of one run overlap.
                        state.Reading = false;
                        return;
                    }
                    (mark, state.Dirty, state.MarkForOthers) = (state.MarkForOthers, false, false);
                }
                try
                {
                    if (await queries.GetAsync(runId) is not { } detail) continue;
                    if (mark) await channel.TellAsync(runId);
                    Changed?.Invoke(detail);
                }
                // A read or a marker that failed (the database busy, the data directory going away) is one missed piece
                // of news: the run's next change brings its whole state again.
                catch (Exception) { }
            }
        });
    }

    public void Dispose()
    {
        hub.RunChanged -= OnChangedHere;
        channel.Dispose();
    }
}
