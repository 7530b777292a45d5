using System.Text.Json.Serialization;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The proxy site as users edit it (DATA/proxy/routes.json, the web editor): a domain, HSTS, and routes.
/// Raw values; <see cref="Validate"/> turns them into a <see cref="ProxySite"/> or names the first bad field.
/// </summary>
public sealed class ProxySettings
{
    public string? Domain { get; set; }
    /// <summary>Strict-Transport-Security: off by default, since browsers remember it for two years.</summary>
    public bool Hsts { get; set; }
    public List<ProxyRouteSettings> Routes { get; set; } = [];

    public ProxySite Validate()
    {
        var domain = ProxyInputs.RequireServerName("domain", Domain);
        if (Routes.Count == 0) throw new InputException("routes", null, "must hold at least one route");
        var routes = new List<ProxyRoute>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Routes.Count; i++)
        {
            var route = Routes[i].Validate($"routes[{i}]");
            if (seen.TryGetValue(route.Path, out var first))
                throw new InputException($"routes[{i}].path", route.Path, $"is already used by routes[{first}]");
            seen[route.Path] = i;
            routes.Add(route);
        }
        return new ProxySite(domain, Hsts, routes);
    }
}

public sealed class ProxyRouteSettings
{
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
                throw new InputException(field + ".startPage", StartPage, $"must be a page below the route's path {path}");
        }
        return new ProxyRoute(path, upstream, Websocket, host == "client" ? HeaderValue.ClientHost : HeaderValue.UpstreamHost, HttpsRedirects, start);
    }
}

/// <summary>A validated site: every value here is safe to render.</summary>
public sealed record ProxySite(string Domain, bool Hsts, IReadOnlyList<ProxyRoute> Routes);

public sealed record ProxyRoute(string Path, Upstream Upstream, bool Websocket, HeaderValue HostHeader, bool HttpsRedirects, string? StartPage);
