using System.Collections.Concurrent;
using System.Globalization;
using ControlPanel.Engine.Logging;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// A run's news, the one path by which its changes reach the faces: after each change of a run (its state, a stage's,
/// its history) the engine publishes the run as it now stands (<see cref="RunDetail"/>), read once here for every
/// watcher. Runs executed by another process (a CLI, a panel that handed a run on) arrive the same way: the executing
/// process drops a marker in the run's folder (DATA/runs/ID/news) and this process's watcher of that folder publishes.
/// Nobody polls the database for run changes.
/// </summary>
public sealed class RunNews : IDisposable
{
    const string Marker = "news";

    readonly LogHub hub;
    readonly string runsDirectory;
    readonly RunQueries queries;
    readonly string self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    readonly ConcurrentDictionary<long, Pending> pending = new();

    /// <summary>A run's news to read: one reader per run at a time, so its news goes out in order.</summary>
    sealed class Pending
    {
        public bool Dirty, MarkForOthers, Reading;
    }
    FileSystemWatcher? watcher;

    public RunNews(string dataDirectory, LogHub hub)
    {
        this.hub = hub;
        runsDirectory = Path.Combine(dataDirectory, "runs");
        queries = new RunQueries(dataDirectory);
        hub.RunChanged += OnChangedHere;
    }

    /// <summary>Raised with the run as it stands after a change (on a thread of the engine's; a face marshals it itself).</summary>
    public event Action<RunDetail>? Changed;

    /// <summary>Also publish the changes of runs other processes execute (the panel does; a CLI command follows its own).</summary>
    public void WatchOtherProcesses()
    {
        Directory.CreateDirectory(runsDirectory);
        watcher = new FileSystemWatcher(runsDirectory, Marker) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName };
        watcher.Changed += OnMarker;
        watcher.Created += OnMarker;
        watcher.EnableRaisingEvents = true;
    }

    void OnChangedHere(long runId) => Publish(runId, markForOthers: true);

    void OnMarker(object sender, FileSystemEventArgs e)
    {
        if (!long.TryParse(Path.GetFileName(Path.GetDirectoryName(e.FullPath)), out var runId)) return;
        try
        {
            if (File.ReadAllText(e.FullPath) == self) return;
        }
        catch (IOException) { return; }
        Publish(runId, markForOthers: false);
    }

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
                    if (mark)
                    {
                        var folder = Path.Combine(runsDirectory, runId.ToString(CultureInfo.InvariantCulture));
                        Directory.CreateDirectory(folder);
                        File.WriteAllText(Path.Combine(folder, Marker), self);
                    }
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
        watcher?.Dispose();
    }
}
