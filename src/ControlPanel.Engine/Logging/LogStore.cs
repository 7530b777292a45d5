using System.Text;

namespace ControlPanel.Engine.Logging;

/// <summary>Log files of runs under the data directory: runs/RUN_ID/NN-STAGE.log, one file per stage run.</summary>
public sealed class LogStore(string dataDirectory)
{
    public string RunDirectory(long runId) => Path.Combine(dataDirectory, "runs", runId.ToString());

    public string StageFile(long runId, int stageIndex, string stageName) =>
        Path.Combine(RunDirectory(runId), $"{stageIndex:D2}-{stageName}.log");

    /// <summary>All entries of a run in order (optionally one stage), for history views and `logs`.</summary>
    public IEnumerable<LogEntry> Read(long runId, int? stageIndex = null, long afterSeq = 0)
    {
        foreach (var (index, file) in StageFiles(runId))
        {
            if (stageIndex is not null && index != stageIndex) continue;
            foreach (var entry in ReadFile(runId, index, file))
                if (entry.Seq > afterSeq) yield return entry;
        }
    }

    public IEnumerable<(int Index, string File)> StageFiles(long runId)
    {
        var dir = RunDirectory(runId);
        if (!Directory.Exists(dir)) yield break;
        foreach (var file in Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal))
            if (int.TryParse(Path.GetFileName(file).AsSpan(0, 2), out var index)) yield return (index, file);
    }

    static IEnumerable<LogEntry> ReadFile(long runId, int index, string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
            if (LogEntry.Parse(runId, index, line) is { } entry) yield return entry;
    }

    /// <summary>The highest sequence number written for a run so far (0 if none): where a resumed run continues.</summary>
    public long LastSeq(long runId)
    {
        long last = 0;
        foreach (var (index, file) in StageFiles(runId))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var take = (int)Math.Min(stream.Length, 64 * 1024);
            stream.Seek(-take, SeekOrigin.End);
            var buffer = new byte[take];
            stream.ReadExactly(buffer);
            var lines = Encoding.UTF8.GetString(buffer).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in Enumerable.Reverse(lines))
                if (LogEntry.Parse(runId, index, line) is { } e) { last = Math.Max(last, e.Seq); break; }
        }
        return last;
    }

    public void DeleteRun(long runId)
    {
        var dir = RunDirectory(runId);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
