using System.Text;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Logging;

/// <summary>
/// Writes one stage run's log: masks secrets, appends to its file, hands each line to live subscribers.
/// Buffered writes keep fast output (hundreds of thousands of lines) cheap; a flush timer bounds how stale
/// the file may be for cross-process readers such as `logs --follow`.
/// </summary>
public sealed class StageLogWriter : IStageLog, IDisposable
{
    readonly long runId;
    readonly int stageIndex;
    readonly Func<long> nextSeq;
    readonly SecretMasker masker;
    readonly LogHub hub;
    readonly StreamWriter file;
    readonly Timer flusher;
    readonly object gate = new();
    bool disposed;

    public StageLogWriter(string path, long runId, int stageIndex, Func<long> nextSeq, SecretMasker masker, LogHub hub)
    {
        this.runId = runId;
        this.stageIndex = stageIndex;
        this.nextSeq = nextSeq;
        this.masker = masker;
        this.hub = hub;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024);
        file = new StreamWriter(stream, new UTF8Encoding(false));
        flusher = new Timer(_ => Flush(), null, 200, 200);
    }

    public long Lines { get; private set; }
    /// <summary>When the last line was written (UTC): how long the stage has been quiet.</summary>
    public DateTime LastLineAt { get; private set; } = DateTime.UtcNow;

    public void Info(string message) => Write(LogKind.Info, message);
    public void Warn(string message) => Write(LogKind.Warn, message);
    public void Progress(string message) => Write(LogKind.Progress, message);
    public void Output(OutputLine line) => Write(line.Stream == OutputStream.Err ? LogKind.Err : LogKind.Out, line.Text);

    void Write(LogKind kind, string text)
    {
        // A message may span lines (a diff, an error with stderr); the file keeps one entry per line.
        foreach (var raw in text.Split('\n'))
        {
            var line = masker.Apply(raw.TrimEnd('\r')).Replace('\t', ' ');
            lock (gate)
            {
                if (disposed) return;
                var entry = new LogEntry(runId, stageIndex, nextSeq(), DateTime.UtcNow, kind, line);
                file.WriteLine(entry.ToFileLine());
                Lines++;
                LastLineAt = entry.At;
                hub.Publish(entry);
            }
        }
    }

    void Flush()
    {
        lock (gate)
            if (!disposed) file.Flush();
    }

    public void Dispose()
    {
        flusher.Dispose();
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            file.Dispose();
        }
    }
}
