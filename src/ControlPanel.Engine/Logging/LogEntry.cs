using System.Globalization;

namespace ControlPanel.Engine.Logging;

/// <summary>
/// What kind of line: the command's stdout or stderr, a note from the engine, or a sign of life (a download's progress,
/// what a quiet stage is waiting for), which faces show beside the stage as well as in the log.
/// </summary>
public enum LogKind { Out = 'o', Err = 'e', Info = 'i', Warn = 'w', Progress = 'p' }

/// <summary>One log line of a run. Seq is per run and increases across stages, so a reader can resume where it stopped.</summary>
public sealed record LogEntry(long RunId, int StageIndex, long Seq, DateTime At, LogKind Kind, string Text)
{
    /// <summary>File format: one line per entry, tab-separated "seq time kind text" (text never holds a newline).</summary>
    public string ToFileLine() => $"{Seq}\t{At.ToString("O", CultureInfo.InvariantCulture)}\t{(char)Kind}\t{Text}";

    public static LogEntry? Parse(long runId, int stageIndex, string line)
    {
        var parts = line.Split('\t', 4);
        if (parts.Length != 4 || !long.TryParse(parts[0], out var seq) || parts[2].Length != 1) return null;
        if (!DateTime.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)) return null;
        return new LogEntry(runId, stageIndex, seq, at, (LogKind)parts[2][0], parts[3]);
    }
}
