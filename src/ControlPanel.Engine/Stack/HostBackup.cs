using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// Copies of what the install changed that was there before it (a user's file, a kernel setting), kept on the
/// host under /var/lib/controlpanel/backup so that uninstall can put them back: files under files/&lt;path&gt;,
/// sysctl values under sysctl/&lt;key&gt;. The first backup wins: a second install never overwrites the original.
/// </summary>
public static class HostBackup
{
    public const string FilesDir = StackPaths.BackupDir + "/files";
    public const string SysctlDir = StackPaths.BackupDir + "/sysctl";

    public static string FileBackupPath(string path) => FilesDir + path;

    /// <summary>Backs up <paramref name="path"/> before the engine replaces it, unless it is missing, already ours, or already backed up.</summary>
    public static async Task BackupFileAsync(StageContext context, string path, string ourContent)
    {
        var current = await context.ReadFileAsync(path);
        if (current is null || current == ourContent) return;
        var backup = FileBackupPath(path);
        if (await HostFacts.ExistsAsync(context, backup)) return;
        await context.RunAsync("mkdir", "-p", "--", Path.GetDirectoryName(backup)!);
        await context.RunAsync("cp", "-a", "--", path, backup);
    }

    public static async Task RecordSysctlAsync(StageContext context, string key, string value)
    {
        var path = $"{SysctlDir}/{key}";
        if (await HostFacts.ExistsAsync(context, path)) return;
        await context.WriteFileAsync(new Hosts.FileSpec(path, value + "\n", "0600"));
    }

    /// <summary>Everything backed up: (original path, backup path) for files, (key, value) for sysctl settings.</summary>
    public static async Task<(List<(string Path, string Backup)> Files, List<(string Key, string Value)> Sysctls)> ListAsync(StageContext context)
    {
        var files = new List<(string, string)>();
        var sysctls = new List<(string, string)>();
        var r = await context.ProbeAsync("find", StackPaths.BackupDir, "-type", "f");
        if (r.ExitCode != 0) return (files, sysctls);
        foreach (var backup in r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
        {
            if (backup.StartsWith(FilesDir + "/", StringComparison.Ordinal)) files.Add((backup[FilesDir.Length..], backup));
            else if (backup.StartsWith(SysctlDir + "/", StringComparison.Ordinal))
                sysctls.Add((backup[(SysctlDir.Length + 1)..], (await context.ReadFileAsync(backup) ?? "").Trim()));
        }
        return (files, sysctls);
    }
}
