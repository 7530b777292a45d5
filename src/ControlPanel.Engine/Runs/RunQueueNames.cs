using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// Queue names say who executes a queued run. The panel serves <see cref="Panel"/> (every node of a panel does, and
/// picks its runs up again after a restart); a CLI process serves a queue of its own, named after its process id,
/// start time and machine, so that a run queued by a CLI that died is known to be orphaned rather than waiting. A CLI
/// on another machine sharing the database is never taken for dead: its process cannot be looked at from here.
/// </summary>
public static class RunQueueNames
{
    public const string Panel = "panel";
    const string CliPrefix = "cli-";
    static int instances;

    /// <summary>A queue no other process or engine serves (Hangfire queue names: lower case, digits, dashes).</summary>
    public static string ForThisProcess() =>
        $"{CliPrefix}{Environment.ProcessId}-{ProcessStart.TicksOf(Environment.ProcessId)}-{Interlocked.Increment(ref instances)}-{Machine}";

    /// <summary>Whether nobody can serve the queue any more: a CLI process of this machine that has ended.</summary>
    public static bool IsOrphaned(string? queue)
    {
        if (queue is null || !queue.StartsWith(CliPrefix, StringComparison.Ordinal)) return false;
        var parts = queue[CliPrefix.Length..].Split('-');
        // Names without a machine are older releases', which had one machine only.
        if (parts.Length >= 4 && parts[3] != Machine) return false;
        return parts.Length < 2 || !int.TryParse(parts[0], out var pid) || ProcessStart.TicksOf(pid) != parts[1];
    }

    /// <summary>This machine in a queue name: a hash of its name, which may hold characters a queue name may not.</summary>
    static readonly string Machine = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(Environment.MachineName)))[..8];
}
