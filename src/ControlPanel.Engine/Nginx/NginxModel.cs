namespace ControlPanel.Engine.Nginx;

// The typed model of one nginx site. Values in it are already validated (ProxyInputs); the renderer turns it into
// text through the templates in the top-level nginx/ folder.

/// <summary>One site file: its server blocks, in order.</summary>
public sealed record NginxSite(IReadOnlyList<ServerBlock> Servers);

public sealed record ServerBlock(IReadOnlyList<Listener> Listeners, IReadOnlyList<string> ServerNames, TlsSettings? Tls, IReadOnlyList<Location> Locations);

/// <summary>A listen socket; an empty address means every IPv4 address, "[::]" every IPv6 one.</summary>
public sealed record Listener(string Address, int Port, bool Tls);

public sealed record TlsSettings(string CertificatePath, string KeyPath, bool Hsts);

/// <summary>Where a proxied request goes: scheme, host (IPv6 in brackets), port and the path that replaces the location's prefix ("" keeps the full URI).</summary>
public sealed record Upstream(string Scheme, string Host, int Port, string Path)
{
    public override string ToString() => $"{Scheme}://{Host}:{Port}{Path}";
}

/// <summary>A request header value sent upstream: only these nginx variables, never text from a user.</summary>
public sealed record HeaderValue
{
    HeaderValue(string text) => Text = text;
    public string Text { get; }

    public static readonly HeaderValue ClientHost = new("$host");
    /// <summary>The Host header as the client sent it, port included (for an upstream that builds absolute URLs).</summary>
    public static readonly HeaderValue ClientHostAndPort = new("$http_host");
    public static readonly HeaderValue UpstreamHost = new("$proxy_host");
    public static readonly HeaderValue ClientAddress = new("$remote_addr");
    public static readonly HeaderValue ForwardedFor = new("$proxy_add_x_forwarded_for");
    public static readonly HeaderValue Scheme = new("$scheme");
    public static readonly HeaderValue Upgrade = new("$http_upgrade");
    public static readonly HeaderValue ConnectionUpgrade = new("$controlpanel_connection_upgrade");
}

public sealed record ProxyHeader(string Name, HeaderValue Value);

public abstract record Location;

/// <summary>A prefix location proxied to an upstream.</summary>
public sealed record ProxyLocation(string Path, Upstream Upstream, IReadOnlyList<ProxyHeader> Headers, bool Websocket, bool HttpsRedirects) : Location;

/// <summary>An exact location that sends its visitors to a page below it (e.g. /faasd/ to /faasd/ui/).</summary>
public sealed record StartPageLocation(string Path, string Target) : Location;

/// <summary>Serves HTTP-01 token files from a webroot.</summary>
public sealed record AcmeChallengeLocation(string Webroot) : Location;

/// <summary>Everything else on plain HTTP goes to the same URL on HTTPS.</summary>
public sealed record HttpsRedirectLocation(int HttpsPort) : Location;

/// <summary>Plain HTTP before a certificate exists: a clear 503 instead of serving the routes unencrypted.</summary>
public sealed record CertificatePendingLocation : Location;
