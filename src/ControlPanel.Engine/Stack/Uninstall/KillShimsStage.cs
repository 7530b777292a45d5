using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>The shims and faasd log collectors that outlive containerd (they hold /run/containerd and /usr/local/bin/faasd busy).</summary>
public sealed class KillShimsStage(StackServices services) : Stage
{
    public override string Name => "kill-shims";
    public override string Title => "Kill leftover containerd shims and faasd log collectors";

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var targets = await ShimKiller.FindAsync(context);
        return targets.Count == 0
            ? StageCheck.Satisfied(UninstallReasons.NoShims.Message())
            : StageCheck.Needed(UninstallReasons.ShimsLeft.With(("count", targets.Count), ("processes", string.Join("; ", targets.Select(t => $"{t.Pid} {t.What}")))));
    }

    public override async Task ApplyAsync(StageContext context) =>
        await ShimKiller.KillAsync(context, services, await ShimKiller.FindAsync(context));
}
