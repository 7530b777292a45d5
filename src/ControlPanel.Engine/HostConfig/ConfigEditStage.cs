using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostConfig;

/// <summary>
/// A stage made of config file edits: it plans them from what the host has (the check: nothing to edit means
/// done), applies them with the original kept once beside each file, then lets the subclass react to what
/// really changed (a daemon-reload, a restart), so nothing restarts when nothing changed.
/// </summary>
public abstract class ConfigEditStage : Stage
{
    /// <summary>The edits still needed; an empty list means the host is as asked.</summary>
    protected abstract Task<IReadOnlyList<ConfigEdit>> PlanAsync(StageContext context);

    /// <summary>Called with the paths that changed (never empty).</summary>
    protected abstract Task AfterChangeAsync(StageContext context, IReadOnlyList<string> changed);

    /// <summary>What the check says when there is nothing to do.</summary>
    protected abstract UserMessage DoneReason { get; }

    static readonly MessageTemplate ToWrite = new("config.to-write", "{path}: to be written");
    static readonly MessageTemplate ToRestore = new("config.to-restore", "{path}: original to be restored");
    static readonly MessageTemplate ToDelete = new("config.to-delete", "{path}: to be removed");
    static readonly MessageTemplate ToTakeOut = new("config.to-take-out", "{path}: our values to be taken out");

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var edits = await PlanAsync(context);
        return edits.Count == 0
            ? StageCheck.Satisfied(DoneReason)
            : StageCheck.Needed(UserMessage.Join(", ", edits.Select(e => Describe(e.Kind).With(("path", e.File.Path)))));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var changed = new List<string>();
        var edits = await PlanAsync(context);
        foreach (var edit in edits)
            if (await ApplyAsync(context, edit)) changed.Add(edit.File.Path);
        var folders = edits.Where(e => e.Kind == ConfigEditKind.Delete).SelectMany(e => e.File.Folders).Distinct().ToList();
        if (folders.Count > 0) await HostFiles.RemoveEmptyDirsAsync(context, folders);
        if (changed.Count > 0) await AfterChangeAsync(context, changed);
    }

    static async Task<bool> ApplyAsync(StageContext context, ConfigEdit edit)
    {
        var path = edit.File.Path;
        switch (edit.Kind)
        {
            case ConfigEditKind.Write:
            case ConfigEditKind.PartialReset:
                if (edit.Kind == ConfigEditKind.Write) await ConfigBackup.SaveOnceAsync(context, path);
                // A file of ours that may hold a secret always gets its own mode; another keeps the mode and owner the user gave it.
                var stat = edit.File.Secret ? null : await context.Host.StatAsync(path, context.Cancellation);
                var spec = new FileSpec(path, edit.Content!, stat?.Mode ?? edit.File.Mode, stat?.Owner ?? edit.File.Owner, edit.File.Secret);
                return (await context.WriteFileAsync(spec)).Changed;
            case ConfigEditKind.Restore:
                var existed = (Original.Existed)edit.Original;
                var restored = await context.WriteFileAsync(new FileSpec(path, existed.Content, existed.Stat.Mode, existed.Stat.Owner, edit.File.Secret));
                await ConfigBackup.ForgetAsync(context, path);
                return restored.Changed;
            default:
                var deleted = await context.DeleteFileAsync(path);
                await ConfigBackup.ForgetAsync(context, path);
                return deleted.Changed;
        }
    }

    static MessageTemplate Describe(ConfigEditKind kind) => kind switch
    {
        ConfigEditKind.Write => ToWrite,
        ConfigEditKind.Restore => ToRestore,
        ConfigEditKind.Delete => ToDelete,
        _ => ToTakeOut,
    };
}
