using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>Removing folders on the host: whole trees the stack owns, and parents only once they are empty.</summary>
public static class HostFiles
{
    /// <summary>Removes a tree if it exists; never crosses into another file system (a mount left behind stays visible as an error).</summary>
    public static async Task RemoveTreeAsync(StageContext context, string path)
    {
        if (await HostFacts.ExistsAsync(context, path))
            await context.RunAsync("rm", "-rf", "--one-file-system", "--", path);
    }

    /// <summary>Removes the folders that exist and are empty, in the order given (deepest first).</summary>
    public static async Task RemoveEmptyDirsAsync(StageContext context, IEnumerable<string> dirs)
    {
        foreach (var dir in dirs)
            if (await IsEmptyDirAsync(context, dir))
                await context.RunAsync(new ProcessSpec(["rmdir", "--", dir]) { OkExitCodes = [0, 1] });
    }

    /// <summary>An empty folder that is not a mount point (a mount point was made by someone else, for a reason).</summary>
    public static async Task<bool> IsEmptyDirAsync(StageContext context, string dir)
    {
        var r = await context.ProbeAsync("find", dir, "-maxdepth", "0", "-type", "d", "-empty");
        return r.ExitCode == 0 && r.Stdout.Trim() == dir && (await context.ProbeAsync("mountpoint", "-q", dir)).ExitCode != 0;
    }

    /// <summary>Which of the paths exist.</summary>
    public static async Task<List<string>> ExistingAsync(StageContext context, IEnumerable<string> paths)
    {
        var found = new List<string>();
        foreach (var p in paths)
            if (await HostFacts.ExistsAsync(context, p)) found.Add(p);
        return found;
    }
}
