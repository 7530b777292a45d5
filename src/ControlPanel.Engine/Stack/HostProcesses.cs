using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// The host's processes with their command lines: from ps when procps is there (one process), else read
/// from /proc by a loop (a fork per process: slow on small VMs, but minimal images lack procps). Signals are
/// sent with the shell's kill builtin, pids passed as arguments.
/// </summary>
public static class HostProcesses
{
    public sealed record Entry(int Pid, string Args);

    const string ListScript = """for p in /proc/[0-9]*; do [ -r "$p/cmdline" ] || continue; a=$(tr '\0' ' ' < "$p/cmdline" 2>/dev/null) || continue; [ -n "$a" ] && printf '%s %s\n' "${p#/proc/}" "$a"; done; true""";

    public static async Task<IReadOnlyList<Entry>> ListAsync(StageContext context)
    {
        var ps = await context.ProbeAsync("ps", "-eo", "pid=,args=");
        var r = ps.ExitCode == 0 ? ps : await context.ProbeAsync("sh", "-c", ListScript);
        // ps shows kernel threads as [name]; /proc gives them no command line: leave them out either way.
        return Parse(r.Stdout).Where(e => !e.Args.StartsWith('[')).ToList();
    }

    public static IReadOnlyList<Entry> Parse(string listing) =>
        listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(' ', 2))
            .Where(p => p.Length == 2 && int.TryParse(p[0], out _))
            .Select(p => new Entry(int.Parse(p[0]), p[1].Trim()))
            .ToList();

    public static Task KillAsync(StageContext context, IEnumerable<int> pids) =>
        context.RunAsync(new ProcessSpec(["sh", "-c", "kill -9 \"$@\"", "kill", .. pids.Select(p => p.ToString())]) { OkExitCodes = [0, 1] });
}
