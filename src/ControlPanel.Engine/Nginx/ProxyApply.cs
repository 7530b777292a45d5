using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The proxy routes applied as a run of their own (the proxy page, `proxy apply`): the install plan's
/// <see cref="NginxStage"/> given the edited routes in its request. routes.json takes them only once nginx did.
/// </summary>
public static class ProxyApply
{
    public const string Kind = "proxy-apply";

    public static Plan Plan(NginxTarget? target = null) => new(Kind, [new NginxStage(target)]);

    public static PlanRequest Request(ProxySettings routes) =>
        new(Kind, new Dictionary<string, string> { ["domain"] = routes.Domain, [RoutesInput] = ProxyRoutesStore.Serialize(routes) },
            new Dictionary<string, string>());

    /// <summary>The request input holding the routes to apply (routes.json's format); without it the stage applies routes.json.</summary>
    public const string RoutesInput = "routes";
}
