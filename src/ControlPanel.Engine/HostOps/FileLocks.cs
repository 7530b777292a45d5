using System.Globalization;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostOps;

/// <summary>
/// Who holds a lock on a file, from the kernel's own table (/proc/locks): the answer to "why does apt not move" when
/// unattended-upgrades has the dpkg lock. Works for fcntl and flock locks alike, and over SSH (two reads and a stat).
/// </summary>
public static class FileLocks
{
    /// <summary>"process 812 (unattended-upgr)" for each process holding a lock on one of the files; empty when none does.</summary>
    static async Task<IReadOnlyList<string>> HoldersAsync(StageContext context, string[] paths)
    {
        var ids = new HashSet<string>();
        foreach (var path in paths)
        {
            // /proc/locks names a file by major:minor in hex and the inode in decimal.
            var stat = await context.ProbeAsync("stat", "-L", "-c", "%Hd %Ld %i", "--", path);
            var parts = stat.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (stat.ExitCode != 0 || parts.Length != 3 || !int.TryParse(parts[0], out var major) || !int.TryParse(parts[1], out var minor)) continue;
            ids.Add($"{major:x2}:{minor:x2}:{parts[2]}");
        }
        if (ids.Count == 0) return [];

        var holders = new List<string>();
        foreach (var pid in Holders(await context.ReadFileAsync("/proc/locks") ?? "", ids))
        {
            var name = (await context.ReadFileAsync($"/proc/{pid}/comm"))?.Trim();
            holders.Add(name is null ? $"process {pid}" : $"process {pid} ({name})");
        }
        return holders;
    }

    /// <summary>"held by process 812 (unattended-upgr)" when a process holds a lock on one of the files; null when none does.</summary>
    public static async Task<string?> HeldByAsync(StageContext context, params string[] paths) =>
        await HoldersAsync(context, paths) is { Count: > 0 } holders ? "held by " + string.Join(", ", holders) : null;

    /// <summary>The pids holding a lock on one of the files (lines like "1: POSIX ADVISORY WRITE 812 08:01:1311 0 EOF"); waiters ("->") are left out.</summary>
    static IEnumerable<int> Holders(string procLocks, IReadOnlySet<string> fileIds) =>
        procLocks.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && f[1] != "->" && fileIds.Contains(f[5]))
            .Select(f => int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Distinct();
}
