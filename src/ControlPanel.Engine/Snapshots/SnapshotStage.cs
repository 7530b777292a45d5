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
            ? StageCheck.Needed("no snapshot of this host yet")
            : StageCheck.Satisfied($"snapshot taken {existing.TakenAt:u} ({existing.Items.Count} items)"));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        // The snapshot is the engine's own record, not a host change: a preview has nothing to show for it.
        if (context.DryRun) return;
        var snapshot = await HostSnapshot.TakeAsync(context);
        new SnapshotStore(context.DataDirectory).Save(snapshot);
        context.Log.Info($"recorded {snapshot.Items.Count} items");
    }
}
