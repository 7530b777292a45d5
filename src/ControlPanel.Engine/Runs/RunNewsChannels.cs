using System.Globalization;
using ControlPanel.Engine.Data;
using Npgsql;

namespace ControlPanel.Engine.Runs;

/// <summary>How the processes sharing a data directory tell each other that a run changed (<see cref="RunNews"/>).</summary>
public interface IRunNewsChannel : IDisposable
{
    /// <summary>Tells the other processes that <paramref name="runId"/> changed.</summary>
    Task TellAsync(long runId);
    /// <summary>From now on, <paramref name="heard"/> gets the runs other processes tell of (never this process's own).</summary>
    void Listen(Action<long> heard);
}

/// <summary>
/// One machine: the executing process drops a marker in the run's folder (DATA/runs/ID/news) holding its process id,
/// and the listener's watcher of that folder hears it.
/// </summary>
sealed class FileRunNewsChannel(string runsDirectory) : IRunNewsChannel
{
    const string Marker = "news";
    readonly string self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    FileSystemWatcher? watcher;

    public Task TellAsync(long runId)
    {
        var folder = Path.Combine(runsDirectory, runId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, Marker), self);
        return Task.CompletedTask;
    }

    public void Listen(Action<long> heard)
    {
        Directory.CreateDirectory(runsDirectory);
        watcher = new FileSystemWatcher(runsDirectory, Marker) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName };
        void OnMarker(object sender, FileSystemEventArgs e)
        {
            if (!long.TryParse(Path.GetFileName(Path.GetDirectoryName(e.FullPath)), out var runId)) return;
            try
            {
                if (File.ReadAllText(e.FullPath) == self) return;
            }
            catch (IOException) { return; }
            heard(runId);
        }
        watcher.Changed += OnMarker;
        watcher.Created += OnMarker;
        watcher.EnableRaisingEvents = true;
    }

    public void Dispose() => watcher?.Dispose();
}

/// <summary>
/// Several nodes: PostgreSQL's NOTIFY on one channel, "RUN_ID SENDER", heard by every node's LISTEN (a file watcher
/// would not see another machine's writes to shared storage). The listening connection is opened again after a
/// failure; news sent while it was down is lost, as a marker missed would be, and the run's next change brings its
/// whole state again.
/// </summary>
sealed class PostgresRunNewsChannel(DatabaseLocation location) : IRunNewsChannel
{
    const string Channel = "controlpanel_run_news";
    readonly string self = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    readonly CancellationTokenSource stop = new();

    public async Task TellAsync(long runId)
    {
        await using var connection = new NpgsqlConnection(location.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", $"{runId.ToString(CultureInfo.InvariantCulture)} {self}");
        await command.ExecuteNonQueryAsync();
    }

    public void Listen(Action<long> heard) => _ = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Its own connection, unpooled: LISTEN belongs to the session, which must not go back to a pool.
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location.ConnectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString);
                await connection.OpenAsync(stop.Token);
                connection.Notification += (_, e) =>
                {
                    var parts = e.Payload.Split(' ', 2);
                    if (parts.Length == 2 && parts[1] != self && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var runId)) heard(runId);
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(stop.Token);
                while (true) await connection.WaitAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            catch (Exception)
            {
                try { await Task.Delay(TimeSpan.FromSeconds(1), stop.Token); } catch (OperationCanceledException) { return; }
            }
        }
    });

    public void Dispose() => stop.Cancel();
}
