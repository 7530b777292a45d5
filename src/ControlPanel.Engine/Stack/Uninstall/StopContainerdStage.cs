using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>containerd stopped and disabled once its containers are gone (its shims survive this by design: next stage).</summary>
public sealed class StopContainerdStage : Stage
{
    public override string Name => "stop-containerd";
    public override string Title => "Stop and disable containerd";

    public override async Task<StageCheck> CheckAsync(StageContext context) =>
        (await Systemd.StatesAsync(context, "containerd"))[0].ActiveOrEnabled
            ? StageCheck.Needed(UninstallReasons.RunningOrEnabled.With(("unit", "containerd.service")))
            : StageCheck.Satisfied(UninstallReasons.ContainerdStopped.Message());

    public override Task ApplyAsync(StageContext context) => Systemd.StopAndDisableAsync(context, "containerd");
}
