using ControlPanel.Engine.Cache;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.RuntimeProxy;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Plans;

/// <summary>The plans of the faasd stack (install and uninstall), the certificate work the panel starts, and the edge settings: registry mirrors, the runtimes' proxy, the pull-through cache.</summary>
public static class StackPlans
{
    public static readonly string[] Profiles = ["seed", "current"];

    /// <summary>The <see cref="IPlanFactory.Name"/> of these plans, what runs made before it was recorded were started with.</summary>
    public const string CatalogName = ControlPanelDb.StackCatalog;

    /// <param name="nginx">Where nginx lives for the proxy routes (Debian's by default; tests point at a private prefix).</param>
    public static PlanCatalog Catalog(NginxTarget? nginx = null) => AddEdgeTo(CertificatePlans.AddTo(new PlanCatalog(CatalogName)), nginx)
        .Add(InstallRequest.Kind, InstallRequest.From, r => InstallPlan.Create(r))
        .Add(UninstallRequest.Kind, UninstallRequest.From, r => UninstallPlan.Create(r));

    /// <summary>The edge settings' plans and the proxy routes' apply (they also stay real beside the panel tests' fixture install plans).</summary>
    public static PlanCatalog AddEdgeTo(PlanCatalog catalog, NginxTarget? nginx = null) => catalog
        .Add(ProxyApply.Kind, ProxyApplyRequest.From, r => ProxyApply.Plan(r, nginx))
        .Add(MirrorRequest.SetKind, MirrorRequest.From, MirrorPlans.Create)
        .Add(MirrorRequest.ResetKind, MirrorRequest.From, MirrorPlans.Create)
        .Add(ProxyRequest.SetKind, ProxyRequest.From, r => new Plan(r.PlanKind, [new RuntimeProxyStage(r)]))
        .Add(ProxyRequest.ResetKind, ProxyRequest.From, r => new Plan(r.PlanKind, [new RuntimeProxyStage(r)]))
        .Add(CacheRequest.InstallKind, CacheRequest.From, r => CachePlans.Install(r))
        .Add(CacheRequest.UninstallKind, CacheRequest.From, CachePlans.Uninstall);
}
