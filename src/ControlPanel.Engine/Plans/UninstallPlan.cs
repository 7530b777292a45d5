using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Plans;

/// <summary>The uninstall plan, in the order of shared/notes/faasd-stack.md.</summary>
public static class UninstallPlan
{
    public static Plan Create(UninstallRequest request) => new(UninstallRequest.Kind, new List<Stage>
    {
    });
}
