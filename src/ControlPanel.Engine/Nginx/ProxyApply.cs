using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The proxy routes applied as a run of their own (the proxy page, `proxy apply`): the install plan's
/// <see cref="NginxStage"/> given the edited routes. routes.json takes them only once nginx did.
/// </summary>
public static class ProxyApply
{
    public const string Kind = "proxy-apply";

    public static Plan Plan(ProxyApplyRequest request, NginxTarget? target = null) =>
        new(Kind, [new NginxStage(new NginxRoutes(request.Routes.Domain, Edited: request.Routes), target)]);
}

/// <summary>Routes to apply (routes.json's format), validated when made.</summary>
public sealed record ProxyApplyRequest : PlanRequest
{
    public ProxyApplyRequest(ProxySettings routes)
    {
        routes.Validate();
        Routes = routes;
    }

    public ProxySettings Routes { get; }

    public override string PlanKind => ProxyApply.Kind;

    public override StoredRequest Store() =>
        new(ProxyApply.Kind, new Dictionary<string, string> { ["domain"] = Routes.Domain, ["routes"] = ProxyRoutesStore.Serialize(Routes) },
            new Dictionary<string, string>());

    public static ProxyApplyRequest From(StoredRequest r) => new(ProxyRoutesStore.Parse(r.Input("routes") ?? "", "routes"));
}

/// <summary>
/// Which routes the nginx stage renders for the domain: the edited ones it is given, or routes.json's (panel.sh's routes
/// for the panel type the first time).
/// </summary>
public sealed record NginxRoutes(string Domain, string PanelType = "faasd", ProxySettings? Edited = null);
