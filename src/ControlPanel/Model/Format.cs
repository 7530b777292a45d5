namespace ControlPanel.Model;

/// <summary>How times and durations are shown (UTC, as the server and the logs keep them).</summary>
public static class Format
{
    public static string Time(DateTime? utc) => utc is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss") + "Z" : "";

    public static string Duration(DateTime? start, DateTime? end, bool running)
    {
        if (start is null) return "";
        var span = (end ?? (running ? DateTime.UtcNow : start.Value)) - start.Value;
        return span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss") : span.TotalMinutes >= 1 ? span.ToString(@"m\:ss") : $"{span.TotalSeconds:0.0} s";
    }
}
