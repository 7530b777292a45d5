using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>What the install replaced goes back: files (a user's unit, nginx sites) and kernel settings (forwarding), from the backups it made.</summary>
public sealed class RestoreBackupsStage : Stage
{
    public override string Name => "restore-backups";
    public override string Title => "Restore the files and settings the install changed";

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var (files, sysctls) = await HostBackup.ListAsync(context);
        if (files.Count + sysctls.Count > 0)
            return StageCheck.Needed(UninstallReasons.ToRestore.With(("items", string.Join(", ", files.Select(f => f.Path).Concat(sysctls.Select(s => s.Key))))));
        return await HostFiles.ExistingAsync(context, StackPaths.StackState) is { Count: > 0 } left
            ? StageCheck.Needed(CheckReasons.StillExists.With(("path", string.Join(", ", left))))
            : StageCheck.Satisfied(UninstallReasons.NothingToRestore.Message());
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var (files, sysctls) = await HostBackup.ListAsync(context);
        foreach (var (path, backup) in files)
        {
            await context.RunAsync("cp", "-a", "--", backup, path);
            await context.DeleteFileAsync(backup);
        }
        foreach (var (key, value) in sysctls)
        {
            await context.RunAsync("sysctl", "-w", $"{key}={value}");
            await context.DeleteFileAsync($"{HostBackup.SysctlDir}/{key}");
        }
        if (files.Any(f => f.Path.Contains("/systemd/", StringComparison.Ordinal))) await Systemd.DaemonReloadAsync(context);
        // Never the whole folder: the panel's own data may live in it (see StackPaths.StateDir).
        await HostFiles.RemoveTreesAsync(context, await HostFiles.ExistingAsync(context, StackPaths.StackState));
        await HostFiles.RemoveEmptyDirsAsync(context, [StackPaths.StateDir]);
    }
}
