using System.Text.Json.Serialization;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The proxy site as users edit it (DATA/proxy/routes.json, the web editor): a domain, HSTS, and routes.
/// Raw values; <see cref="Validate"/> turns them into a <see cref="ProxySite"/> or names the first bad field.
/// </summary>
public sealed class ProxySettings
{
    static readonly MessageTemplate NoRoute = new("input.no-route", "must hold at least one route");
    static readonly MessageTemplate PathUsed = new("input.route-path-used", "is already used by {field}");

    public string? Domain { get; set; }
    /// <summary>Strict-Transport-Security: off by default, since browsers remember it for two years.</summary>
    public bool Hsts { get; set; }
    public List<ProxyRouteSettings> Routes { get; set; } = [];
    /// <summary>The panel itself on HTTPS (install.sh --public): absent unless asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PublicPanelSettings? Panel { get; set; }

    public ProxySite Validate()
    {
        var domain = ProxyInputs.RequireServerName("domain", Domain);
        if (Routes.Count == 0) throw new InputException("routes", null, NoRoute.Message());
        var routes = new List<ProxyRoute>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Routes.Count; i++)
        {
            var route = Routes[i].Validate($"routes[{i}]");
            if (seen.TryGetValue(route.Path, out var first))
                throw new InputException($"routes[{i}].path", route.Path, PathUsed.With(("field", $"routes[{first}]")));
            seen[route.Path] = i;
            routes.Add(route);
        }
        return new ProxySite(domain, Hsts, routes, Panel?.Validate("panel.port", "panel.upstream"));
    }
}

/// <summary>
/// The panel published on its own HTTPS port of the site's domain, with the site's certificate. Its own port and
/// not a path below the site: the panel's pages and its Blazor connection live at the root, and the site's root
/// belongs to the functions.
/// </summary>
public sealed class PublicPanelSettings
{
    static readonly MessageTemplate PanelPort = new("input.panel-port", "must be a free port from 1 to 65535 other than 80, 443, 8080 and 8081");
    static readonly MessageTemplate PanelUpstreamPath = new("input.panel-upstream-path", "must have no path: the panel lives at the root");

    public const int DefaultPort = 8443;
    public const string DefaultUpstream = "http://127.0.0.1:8800";

    public int Port { get; set; } = DefaultPort;
    public string? Upstream { get; set; } = DefaultUpstream;

    public PublicPanel Validate(string portField, string upstreamField)
    {
        // 80 and 443 are the site's own; 8080/8081 the faasd gateway and provider.
        if (Port is < 1 or > 65535 or 80 or 443 or 8080 or 8081)
            throw new InputException(portField, Port.ToString(), PanelPort.Message());
        var upstream = ProxyInputs.RequireUpstream(upstreamField, Upstream);
        if (upstream.Path.Length > 0) throw new InputException(upstreamField, Upstream, PanelUpstreamPath.Message());
        return new PublicPanel(Port, upstream);
    }
}

public sealed class ProxyRouteSettings
{
    static readonly MessageTemplate StartPageOutside = new("input.start-page-outside", "must be a page below the route's path {path}");

    public string? Path { get; set; }
    public string? Upstream { get; set; }
    /// <summary>Pass WebSocket upgrades (and allow long-lived connections).</summary>
    public bool Websocket { get; set; } = true;
    /// <summary>"client": the Host the browser sent (default); "upstream": the upstream's own host and port.</summary>
    public string? HostHeader { get; set; }
    /// <summary>Rewrite the upstream's absolute http:// redirects to https:// (code-server needs it).</summary>
    public bool HttpsRedirects { get; set; }
    /// <summary>A page below the route that a visit to the route itself is sent to (e.g. /faasd/ to /faasd/ui/).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StartPage { get; set; }

    public ProxyRoute Validate(string field)
    {
        var path = ProxyInputs.RequireLocationPath(field + ".path", Path);
        var upstream = ProxyInputs.RequireUpstream(field + ".upstream", Upstream);
        var host = Inputs.RequireOneOf(field + ".hostHeader", string.IsNullOrEmpty(HostHeader) ? "client" : HostHeader, "client", "upstream");
        string? start = null;
        if (StartPage is not null)
        {
            start = ProxyInputs.RequireLocationPath(field + ".startPage", StartPage);
            if (!start.StartsWith(path, StringComparison.Ordinal) || start == path)
                throw new InputException(field + ".startPage", StartPage, StartPageOutside.With(("path", path)));
        }
        return new ProxyRoute(path, upstream, Websocket, host == "client" ? HeaderValue.ClientHost : HeaderValue.UpstreamHost, HttpsRedirects, start);
    }
}

/// <summary>A validated site: every value here is safe to render.</summary>
public sealed record ProxySite(string Domain, bool Hsts, IReadOnlyList<ProxyRoute> Routes, PublicPanel? Panel = null);

public sealed record PublicPanel(int Port, Upstream Upstream);

public sealed record ProxyRoute(string Path, Upstream Upstream, bool Websocket, HeaderValue HostHeader, bool HttpsRedirects, string? StartPage);
