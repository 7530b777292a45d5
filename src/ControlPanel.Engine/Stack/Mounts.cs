using System.Text;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>Mount points from /proc/self/mountinfo, and unmounting what is left under a folder.</summary>
public static class Mounts
{
    /// <summary>The mount points in mountinfo text (field 5, with the kernel's octal escapes undone).</summary>
    public static IReadOnlyList<string> Parse(string mountinfo) =>
        mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 4)
            .Select(f => Unescape(f[4]))
            .ToList();

    /// <summary>Mount points at or below <paramref name="root"/>, deepest first (children before their parents).</summary>
    public static IReadOnlyList<string> Below(IEnumerable<string> mountPoints, string root) =>
        mountPoints.Where(m => m == root || m.StartsWith(root + "/", StringComparison.Ordinal))
            .Distinct()
            .OrderByDescending(m => m.Count(c => c == '/'))
            .ThenByDescending(m => m, StringComparer.Ordinal)
            .ToList();

    public static async Task<IReadOnlyList<string>> ListAsync(StageContext context) =>
        Parse(await context.ReadFileAsync("/proc/self/mountinfo") ?? "");

    /// <summary>"\040" in mountinfo is a space, and so on for tab, newline and backslash.</summary>
    static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s.Substring(i + 1, 3).All(c => c is >= '0' and <= '7'))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
