using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Snapshots;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stack.Uninstall;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Plans;

/// <summary>The uninstall plan, in the order of shared/notes/faasd-stack.md, ending with the leftover report.</summary>
public static class UninstallPlan
{
    public static Plan Create(UninstallRequest request, StackServices? services = null)
    {
        services ??= StackServices.Default;
        return new(UninstallRequest.Kind, new List<Stage>
        {
            new StopFaasdStage(),
            new ContainerdWorkloadsStage(request.KeepData, services),
            new StopContainerdStage(),
            new KillShimsStage(services),
            new UnmountStage(),
            new RemoveBridgeStage(),
            new RemoveCniStateStage(),
            new RemoveCniIptablesStage(),
            new RemoveFirewallStage(),
            new RemoveFilesStage(request.KeepData),
            new NginxUninstallStage(),
            new RemoveCertificatesStage(request.KeepData),
            new RestoreBackupsStage(),
            new LeftoverReportStage(request.KeepData),
        });
    }
}
