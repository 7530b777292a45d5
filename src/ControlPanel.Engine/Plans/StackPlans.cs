namespace ControlPanel.Engine.Plans;

/// <summary>The plans of the faasd stack: install and uninstall, and the certificate work the panel starts.</summary>
public static class StackPlans
{
    public static readonly string[] Profiles = ["seed", "current"];

    public static PlanCatalog Catalog() => Acme.CertificatePlans.AddTo(new PlanCatalog())
        .Add(InstallRequest.Kind, r => InstallPlan.Create(InstallRequest.From(r)))
        .Add(UninstallRequest.Kind, r => UninstallPlan.Create(UninstallRequest.From(r)));
}
