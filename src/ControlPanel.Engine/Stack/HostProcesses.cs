using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// The host's processes read straight from /proc (procps is not on every minimal image), and signals sent
/// with the shell's kill builtin, pids passed as arguments.
/// </summary>
public static class HostProcesses
{
    public sealed record Entry(int Pid, string Args);

    const string ListScript = """for p in /proc/[0-9]*; do [ -r "$p/cmdline" ] || continue; a=$(tr '\0' ' ' < "$p/cmdline" 2>/dev/null) || continue; [ -n "$a" ] && printf '%s %s\n' "${p#/proc/}" "$a"; done; true""";

    public static async Task<IReadOnlyList<Entry>> ListAsync(StageContext context)
    {
        var r = await context.ProbeAsync("sh", "-c", ListScript);
        return Parse(r.Stdout);
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
