using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// Finds what keeps the stack's files busy after containerd stops: its shims (containerd's unit has
/// KillMode=process, so they outlive it by design) and faasd's per-container log collectors.
/// A pid is only ever taken from a shim.pid file of our containerd or from a process running one of our
/// binaries, and is checked against /proc before it is killed.
/// </summary>
public static class ShimKiller
{
    public sealed record Target(int Pid, string What);

    public static async Task<IReadOnlyList<Target>> FindAsync(StageContext context)
    {
        var targets = new Dictionary<int, Target>();
        var pidFiles = await context.ProbeAsync("find", StackPaths.ShimTasks, "-mindepth", "3", "-maxdepth", "3", "-name", "shim.pid");
        foreach (var file in pidFiles.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse((await context.ReadFileAsync(file))?.Trim(), out var pid) && await CommAsync(context, pid) is { } comm
                && comm.StartsWith("containerd-shim", StringComparison.Ordinal))
                targets[pid] = new Target(pid, $"{comm} ({file})");

        foreach (var p in await HostProcesses.ListAsync(context))
            if (IsOurs(p.Args)) targets.TryAdd(p.Pid, new Target(p.Pid, p.Args));
        return targets.Values.OrderBy(t => t.Pid).ToList();
    }

    /// <summary>A shim started from our /usr/local/bin, or faasd's log collector (`faasd collect`).</summary>
    public static bool IsOurs(string args)
    {
        var argv = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return argv.Length > 0 && (argv[0].StartsWith(StackPaths.BinDir + "/containerd-shim", StringComparison.Ordinal)
                                   || (argv[0] == StackPaths.FaasdBinary && argv.Length > 1 && argv[1] == "collect"));
    }

    /// <summary>Gone, or a zombie waiting for its parent to reap it (it holds nothing any more).</summary>
    static async Task<bool> IsGoneAsync(StageContext context, int pid)
    {
        var stat = await context.ReadFileAsync($"/proc/{pid}/stat");
        return stat is null || stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
    }

    static async Task<string?> CommAsync(StageContext context, int pid) => (await context.ReadFileAsync($"/proc/{pid}/comm"))?.Trim();

    public static async Task KillAsync(StageContext context, StackServices services, IReadOnlyList<Target> targets)
    {
        foreach (var t in targets) context.Log.Info($"killing {t.Pid}: {t.What}");
        await HostProcesses.KillAsync(context, targets.Select(t => t.Pid));
        var gone = await Poll.UntilAsync(context, services, "the killed shims to exit", TimeSpan.FromSeconds(10),
            async () => (await Task.WhenAll(targets.Select(t => IsGoneAsync(context, t.Pid)))).All(g => g));
        if (!gone) throw new StageFailedException(Survived.With(("pids", string.Join(", ", targets.Select(t => t.Pid)))));
    }


    static readonly MessageTemplate Survived = new("shims.survived", "these processes survived SIGKILL: {pids}");
}
