using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>A kernel setting applied now and persisted in our own /etc/sysctl.d file, with the old value kept for uninstall.</summary>
public static class Sysctl
{
    public static string FileContent(string key, string value) =>
        $"# Written by ControlPanel for the faasd stack (CNI bridge networking). Removed on uninstall.\n{key} = {value}\n";

    public static async Task<string?> ValueAsync(StageContext context, string key)
    {
        var r = await context.ProbeAsync("sysctl", "-n", key);
        return r.ExitCode == 0 ? r.Stdout.Trim() : null;
    }

    public static async Task<bool> IsInPlaceAsync(StageContext context, string key, string value) =>
        await ValueAsync(context, key) == value && await context.ReadFileAsync(StackPaths.SysctlFile) == FileContent(key, value);

    public static async Task EnsureAsync(StageContext context, string key, string value)
    {
        var current = await ValueAsync(context, key);
        if (current is not null && current != value) await HostBackup.RecordSysctlAsync(context, key, current);
        var content = FileContent(key, value);
        await HostBackup.BackupFileAsync(context, StackPaths.SysctlFile, content);
        await context.WriteFileAsync(new FileSpec(StackPaths.SysctlFile, content, "0644"));
        if (current != value) await context.RunAsync("sysctl", "-w", $"{key}={value}");
    }
}
