using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Snapshots;

/// <summary>
/// The last word of an uninstall: the host compared with its pre-install snapshot. Anything the stack
/// accounts for that was not there before and is still there fails the uninstall, listed by name; the
/// report is kept in DATA/snapshots. Without a snapshot everything of the stack's footprint counts.
/// </summary>
public sealed class LeftoverReportStage(bool keepData) : Stage
{
    public override string Name => "leftover-report";
    public override string Title => "Compare the host with its snapshot from before the install";

    public override Task<StageCheck> CheckAsync(StageContext context) =>
        Task.FromResult(StageCheck.Needed(Always.Message()));

    public override async Task ApplyAsync(StageContext context)
    {
        if (context.DryRun) return;
        var store = new SnapshotStore(context.DataDirectory);
        var before = store.Baseline(context.Host.Key);
        var after = await HostSnapshot.TakeAsync(context);
        var leftovers = HostSnapshot.Leftovers(before, after, StackFootprint.For(keepData));
        var report = $"leftover report for {context.Host.Key} at {after.TakenAt:u}\n" +
                     (before is null ? "no pre-install snapshot: every item of the stack's footprint counts\n" : $"baseline: snapshot of {before.TakenAt:u}\n") +
                     (keepData ? "data kept on request: " + string.Join(", ", Stack.StackPaths.Data) + "\n" : "") +
                     (leftovers.Count == 0 ? "nothing the install added remains\n" : string.Join("", leftovers.Select(l => "LEFT " + l + "\n")));
        store.WriteReport(context.Host.Key, report);
        if (leftovers.Count > 0)
            throw new StageFailedException(StillThere.With(("count", leftovers.Count), ("report", store.ReportPath(context.Host.Key))).WithDetails(leftovers.Select(UserMessage.Verbatim)));
        context.Log.Info($"nothing the install added remains (report: {store.ReportPath(context.Host.Key)})");
        store.Retire(context.Host.Key);
    }

    public override Task VerifyAsync(StageContext context) => Task.CompletedTask;

    static readonly MessageTemplate Always = new("leftovers.always", "every uninstall ends with a fresh comparison");

    static readonly MessageTemplate StillThere = new("leftovers.still-there", "{count} things the install added are still there (report: {report}):");
}
