using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Snapshots;

/// <summary>Records the host as it is before the install changes anything; the uninstall's leftover report compares against it.</summary>
public sealed class SnapshotStage : Stage
{
    public override string Name => "snapshot";
    public override string Title => "Record the host before the install (for the uninstall's leftover report)";

    public override Task<StageCheck> CheckAsync(StageContext context)
    {
        var existing = new SnapshotStore(context.DataDirectory).Current(context.Host.Key);
        return Task.FromResult(existing is null
            ? StageCheck.Needed(NoSnapshot.Message())
            : StageCheck.Satisfied(Taken.With(("time", existing.TakenAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)), ("count", existing.Items.Count))));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        // The snapshot is the engine's own record, not a host change: a preview has nothing to show for it.
        if (context.DryRun) return;
        var snapshot = await HostSnapshot.TakeAsync(context);
        new SnapshotStore(context.DataDirectory).Save(snapshot);
        context.Log.Info($"recorded {snapshot.Items.Count} items");
    }

    static readonly MessageTemplate NoSnapshot = new("snapshot.none", "no snapshot of this host yet");
    static readonly MessageTemplate Taken = new("snapshot.taken", "snapshot taken {time} ({count} items)");
}
