using System.Text.RegularExpressions;

namespace ControlPanel.Engine.Nginx;

/// <summary>nginx's own complaint: the message, and the file and line it points at when it gives them.</summary>
public sealed record NginxError(string Level, string Message, string? File, int? Line)
{
    public override string ToString() => File is null ? Message : $"{Message} in {File}:{Line}";
}

/// <summary>Reads `nginx -t` stderr, e.g. "nginx: [emerg] unknown directive "x" in /etc/nginx/conf.d/a.conf:7".</summary>
public static partial class NginxErrorParser
{
    /// <summary>The first emerg/alert/crit line, or null when there is none.</summary>
    public static NginxError? Parse(IEnumerable<string> stderr)
    {
        foreach (var line in stderr)
        {
            var m = ErrorLine().Match(line.TrimEnd());
            if (!m.Success) continue;
            return m.Groups["file"].Success
                ? new NginxError(m.Groups["level"].Value, m.Groups["message"].Value, m.Groups["file"].Value, int.Parse(m.Groups["line"].Value))
                : new NginxError(m.Groups["level"].Value, m.Groups["message"].Value, null, null);
        }
        return null;
    }

    [GeneratedRegex(@"\[(?<level>emerg|alert|crit)\] (\d+#\d+: )?(?<message>.*?)( in (?<file>[^\s:]+):(?<line>\d+))?$")]
    private static partial Regex ErrorLine();
}
