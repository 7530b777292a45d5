using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostConfig;

/// <summary>What a config file was before the engine first edited it.</summary>
public abstract record Original
{
    /// <summary>The engine never edited the file (no marker beside it).</summary>
    public sealed record Untouched : Original;
    /// <summary>The file did not exist: the engine created it.</summary>
    public sealed record Created : Original;
    /// <summary>The file existed with this content, mode and owner (FILE.controlpanel-backup).</summary>
    public sealed record Existed(string Content, FileStat Stat) : Original;
}

/// <summary>
/// The original of a user's config file, kept beside it once, before the first edit: FILE.controlpanel-backup (a copy
/// with its mode and owner) or FILE.controlpanel-created (an empty marker: there was no file). A second edit never
/// replaces it, so reset always goes back to what the user had.
/// </summary>
public static class ConfigBackup
{
    public const string BackupSuffix = ".controlpanel-backup";
    public const string CreatedSuffix = ".controlpanel-created";

    public static async Task<Original> ReadAsync(StageContext context, string path)
    {
        var backup = path + BackupSuffix;
        if (await context.ReadFileAsync(backup) is { } content)
            return new Original.Existed(content, await context.Host.StatAsync(backup, context.Cancellation) ?? new FileStat("0644", "root:root"));
        return await HostFacts.ExistsAsync(context, path + CreatedSuffix) ? new Original.Created() : new Original.Untouched();
    }

    /// <summary>Records the original before the first edit; does nothing once a record exists.</summary>
    public static async Task SaveOnceAsync(StageContext context, string path)
    {
        if (await ReadAsync(context, path) is not Original.Untouched) return;
        if (await HostFacts.ExistsAsync(context, path))
            await context.RunAsync("cp", "-a", "--", path, path + BackupSuffix);
        else
            await context.WriteFileAsync(new FileSpec(path + CreatedSuffix, "", "0600"));
    }

    public static async Task ForgetAsync(StageContext context, string path)
    {
        await context.DeleteFileAsync(path + BackupSuffix);
        await context.DeleteFileAsync(path + CreatedSuffix);
    }
}
