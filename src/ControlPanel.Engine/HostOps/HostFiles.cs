using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostOps;

/// <summary>Removing folders on the host: whole trees the stack owns, and parents only once they are empty.</summary>
public static class HostFiles
{
    /// <summary>Removes a tree if it exists; never crosses into another file system (a mount left behind stays visible as an error).</summary>
    public static async Task RemoveTreeAsync(StageContext context, string path)
    {
        if (await HostFacts.ExistsAsync(context, path))
            await context.RunAsync("rm", "-rf", "--one-file-system", "--", path);
    }

    /// <summary>
    /// Removes trees in one command, in the order given (over SSH one round trip, not one per path); never crosses
    /// into another file system. A path already gone is no error (rm -f).
    /// </summary>
    public static async Task RemoveTreesAsync(StageContext context, IReadOnlyList<string> paths)
    {
        if (paths.Count > 0) await context.RunAsync(["rm", "-rf", "--one-file-system", "--", .. paths]);
    }

    /// <summary>Prints each argument that exists (a dangling link counts): one round trip for many paths over SSH.</summary>
    public const string ExistsScript = """for p; do if [ -e "$p" ] || [ -L "$p" ]; then printf '%s\n' "$p"; fi; done""";
    /// <summary>Prints each argument that is an empty folder and not a mount point (a mount point was made by someone else, for a reason).</summary>
    public const string EmptyDirsScript = """for d; do if [ -d "$d" ] && [ -z "$(ls -A -- "$d")" ] && ! mountpoint -q -- "$d"; then printf '%s\n' "$d"; fi; done""";

    /// <summary>Which of the paths exist, in the order given.</summary>
    public static Task<List<string>> ExistingAsync(StageContext context, IEnumerable<string> paths) => Lines(context, ExistsScript, "exists", paths);

    public static Task<List<string>> EmptyDirsAsync(StageContext context, IEnumerable<string> dirs) => Lines(context, EmptyDirsScript, "empty", dirs);

    /// <summary>Removes the folders that are empty, deepest first, and the parents that this empties in turn.</summary>
    public static async Task RemoveEmptyDirsAsync(StageContext context, IReadOnlyList<string> dirs)
    {
        for (var pass = 0; pass < dirs.Count; pass++)
        {
            var empty = await EmptyDirsAsync(context, dirs);
            if (empty.Count == 0) return;
            // All of a pass in one command; the parents it empties are found by the next pass.
            await context.RunAsync(new ProcessSpec(["rmdir", "--", .. empty]) { OkExitCodes = [0, 1] });
            if (context.DryRun) return;
        }
    }

    static async Task<List<string>> Lines(StageContext context, string script, string name, IEnumerable<string> args)
    {
        var list = args.ToList();
        if (list.Count == 0) return [];
        var r = await context.ProbeAsync(["sh", "-c", script, name, .. list]);
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
