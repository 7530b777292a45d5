namespace ControlPanel.Model;

/// <summary>How times and durations are shown (UTC, as the server and the logs keep them).</summary>
public static class Format
{
    public static string Time(DateTime? utc) => utc is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss") + "Z" : "";

    public static string Duration(DateTime? start, DateTime? end, bool running) =>
        start is null ? "" : Span((end ?? (running ? DateTime.UtcNow : start.Value)) - start.Value);

    public static string Span(TimeSpan? span) => span is not { } s ? ""
        : s.TotalHours >= 1 ? s.ToString(@"h\:mm\:ss") : s.TotalMinutes >= 1 ? s.ToString(@"m\:ss") : $"{s.TotalSeconds:0.0} s";
}
