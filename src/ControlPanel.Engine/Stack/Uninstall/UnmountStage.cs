using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>
/// Mounts containerd left under /run/containerd and /var/lib/containerd (rootfs overlays, shm), deepest first,
/// then /run/containerd itself. "Device busy" here means a process still holds a mount (containerd #3971, #4538):
/// the stage then names the mount instead of leaving it for a reboot to find.
/// </summary>
public sealed class UnmountStage : Stage
{
    static readonly string[] Roots = [StackPaths.ContainerdRun, StackPaths.ContainerdData];

    public override string Name => "unmount";
    public override string Title => $"Unmount what is left under {StackPaths.ContainerdRun}, then remove it";

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var left = await MountsLeftAsync(context);
        if (left.Count > 0) return StageCheck.Needed(UninstallReasons.MountsLeft.With(("count", left.Count), ("first", left[0])));
        return await HostFacts.ExistsAsync(context, StackPaths.ContainerdRun)
            ? StageCheck.Needed(CheckReasons.StillExists.With(("path", StackPaths.ContainerdRun)))
            : StageCheck.Satisfied(UninstallReasons.NothingMounted.With(("roots", string.Join(" or ", Roots))));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        foreach (var mount in await MountsLeftAsync(context))
        {
            var r = await context.RunAsync(new ProcessSpec(["umount", "--", mount]) { OkExitCodes = [0, 32] });
            if (r.ExitCode != 0)
                throw new StageFailedException(UnmountFailed.With(("mount", mount), ("output", string.Join(' ', r.StderrTail))));
        }
        await HostFiles.RemoveTreeAsync(context, StackPaths.ContainerdRun);
    }

    static async Task<IReadOnlyList<string>> MountsLeftAsync(StageContext context)
    {
        var all = await Mounts.ListAsync(context);
        return Roots.SelectMany(root => Mounts.Below(all, root)).Distinct().ToList();
    }

    static readonly MessageTemplate UnmountFailed = new("uninstall.unmount-failed",
        "{mount} could not be unmounted ({output}): a process still uses it; find it with `fuser -vm {mount}` and stop it, then run the uninstall again");
}
