using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Plans;

/// <summary>The install plan in panel.sh's order: preflight, deps, CNI plugins, containerd, faasd, certificate, nginx.</summary>
public static class InstallPlan
{
    public static Plan Create(InstallRequest request) => new(InstallRequest.Kind, new List<Stage>
    {
    });
}
