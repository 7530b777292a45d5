using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>
/// The stack's files: units, binaries (exactly what each release archive put there, read from the archive kept
/// on the host), the install bundle, the data unless the user keeps it, and last the engine's markers and
/// archives (so an interrupted run still knows what to remove when it resumes). Emptied parents go too.
/// </summary>
public sealed class RemoveFilesStage(bool keepData) : Stage
{
    public override string Name => "remove-files";
    public override string Title => "Remove units, binaries" + (keepData ? " (data kept)" : " and data");

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var left = await HostFiles.ExistingAsync(context, await PathsAsync(context));
        left.AddRange(await HostFiles.EmptyDirsAsync(context, StackPaths.EmptyParents));
        return left.Count == 0 ? StageCheck.Satisfied(UninstallReasons.NoFiles.Message()) : StageCheck.Needed(UninstallReasons.FilesLeft.With(("count", left.Count), ("first", left[0])));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var units = await HostFiles.ExistingAsync(context, await UnitsAsync(context));
        await HostFiles.RemoveTreesAsync(context, await HostFiles.ExistingAsync(context, await PathsAsync(context)));
        if (units.Count > 0)
        {
            await Systemd.DaemonReloadAsync(context);
            await context.RunAsync(new ProcessSpec(["systemctl", "reset-failed", "faasd", "faasd-provider", "containerd", FirewallStage.UnitName]) { OkExitCodes = [0, 1, 5] });
        }
        await HostFiles.RemoveEmptyDirsAsync(context, StackPaths.EmptyParents);
    }

    /// <summary>Everything to remove, in removal order.</summary>
    async Task<List<string>> PathsAsync(StageContext context)
    {
        var paths = new List<string>(await UnitsAsync(context));
        paths.Add(StackPaths.FaasdBinary);
        paths.AddRange(await ArchiveFilesAsync(context, ArtifactManifest.Containerd, "/usr/local"));
        paths.AddRange(await ArchiveFilesAsync(context, ArtifactManifest.CniPlugins, StackPaths.CniBinDir));
        paths.AddRange([StackPaths.BundleDir, StackPaths.FaasdEulaRecord, StackPaths.SysctlFile]);
        if (!keepData) paths.AddRange(StackPaths.Data);
        paths.AddRange([StackPaths.ArtifactDir, StackPaths.MarkerDir]);
        return paths;
    }

    static async Task<List<string>> UnitsAsync(StageContext context)
    {
        var units = new List<string> { StackPaths.FaasdUnit, StackPaths.FaasdProviderUnit };
        // A containerd unit that is not ours (a user's, restored from backup later) stays.
        if (await context.ReadFileAsync(StackPaths.ContainerdUnit) == ContainerdStage.Unit) units.Add(StackPaths.ContainerdUnit);
        return units;
    }

    /// <summary>The files a release archive put under <paramref name="root"/>: from the marker, else listed from the archive kept on the host.</summary>
    static async Task<IEnumerable<string>> ArchiveFilesAsync(StageContext context, string component, string root)
    {
        var marker = await ComponentMarker.ReadAsync(context, component);
        if (marker?.Files is { } files) return files;
        if (marker?.Archive is null) return [];
        var listing = await context.ProbeAsync("tar", "-tzf", marker.Archive);
        if (listing.ExitCode != 0)
        {
            context.Log.Warn($"{marker.Archive} cannot be listed ({string.Join(' ', listing.StderrTail)}); the leftover report will show what stays of {component}");
            return [];
        }
        return listing.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => n.StartsWith("./", StringComparison.Ordinal) ? n[2..] : n)
            .Where(n => n.Length > 0 && !n.EndsWith('/') && !n.Contains(".."))
            .Select(n => $"{root}/{n}");
    }
}
