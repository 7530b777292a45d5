namespace ControlPanel.Engine.Plans;

/// <summary>The plans of the faasd stack: install and uninstall.</summary>
public static class StackPlans
{
    public static readonly string[] Profiles = ["seed", "current"];

    public static PlanCatalog Catalog() => new PlanCatalog()
        .Add(InstallRequest.Kind, r => InstallPlan.Create(InstallRequest.From(r)))
        .Add(UninstallRequest.Kind, r => UninstallPlan.Create(UninstallRequest.From(r)));
}
