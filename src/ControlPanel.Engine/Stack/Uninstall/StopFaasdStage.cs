using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>faasd first, then its provider: stopped and disabled, so nothing restarts what the next stages remove.</summary>
public sealed class StopFaasdStage : Stage
{
    static readonly string[] Units = ["faasd", "faasd-provider"];

    public override string Name => "stop-faasd";
    public override string Title => "Stop and disable faasd and faasd-provider";

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        foreach (var unit in await Systemd.StatesAsync(context, Units))
            if (unit.ActiveOrEnabled)
                return StageCheck.Needed(UninstallReasons.RunningOrEnabled.With(("unit", $"{unit.Unit}.service")));
        return StageCheck.Satisfied(UninstallReasons.FaasdStopped.Message());
    }

    public override Task ApplyAsync(StageContext context) => Systemd.StopAndDisableAsync(context, Units);
}
