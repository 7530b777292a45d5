using System.Text;

namespace ControlPanel.Engine.Logging;

/// <summary>
/// Follows a run's log files as they grow, from any process (the run may execute in another one).
/// Remembers a position per file and returns only complete new lines.
/// </summary>
public sealed class LogTail(LogStore store, long runId, int? stageIndex = null)
{
    readonly Dictionary<string, long> positions = new();

    public List<LogEntry> ReadNew()
    {
        var entries = new List<LogEntry>();
        foreach (var (index, file) in store.StageFiles(runId))
        {
            if (stageIndex is not null && index != stageIndex) continue;
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var position = positions.GetValueOrDefault(file);
            if (stream.Length <= position) continue;
            stream.Seek(position, SeekOrigin.Begin);
            var buffer = new byte[stream.Length - position];
            stream.ReadExactly(buffer);
            // Only complete lines are taken; a line still being written (maybe mid-character) is read next time.
            var lastNewline = Array.LastIndexOf(buffer, (byte)'\n');
            if (lastNewline < 0) continue;
            positions[file] = position + lastNewline + 1;
            foreach (var line in Encoding.UTF8.GetString(buffer, 0, lastNewline).Split('\n'))
                if (LogEntry.Parse(runId, index, line) is { } e) entries.Add(e);
        }
        entries.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return entries;
    }
}
