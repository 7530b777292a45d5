namespace ControlPanel.Engine.Nginx;

/// <summary>
/// Builds the nginx model of a validated site for one host layout. Port 80 serves the ACME challenge path and
/// redirects the rest to HTTPS; without a certificate yet, port 80 serves the challenge only, so that the
/// certificate can be issued through nginx, and the routes go live on HTTPS once it exists. A published panel gets
/// a server of its own on its port, with the same certificate, once it exists.
/// </summary>
public static class SiteBuilder
{
    public static NginxSite Build(ProxySite site, NginxTarget target, bool certificatePresent)
    {
        var names = new[] { site.Domain };
        var http = new ServerBlock(
            target.ListenAddresses.Select(a => new Listener(a, target.HttpPort, Tls: false)).ToList(),
            names, null,
            [new AcmeChallengeLocation(target.AcmeWebroot), certificatePresent ? new HttpsRedirectLocation(target.HttpsPort) : new CertificatePendingLocation()]);
        if (!certificatePresent) return new NginxSite([http]);

        var locations = new List<Location>();
        foreach (var route in site.Routes)
        {
            if (route.StartPage is not null) locations.Add(new StartPageLocation(route.Path, route.StartPage));
            locations.Add(new ProxyLocation(route.Path, route.Upstream, Headers(route), route.Websocket, route.HttpsRedirects));
        }
        var tls = new TlsSettings(target.CertificatePath(site.Domain), target.KeyPath(site.Domain), site.Hsts);
        var https = new ServerBlock(target.ListenAddresses.Select(a => new Listener(a, target.HttpsPort, Tls: true)).ToList(), names, tls, locations);
        if (site.Panel is not { } panel) return new NginxSite([http, https]);

        // Blazor Server keeps a WebSocket open for every page it shows. The panel builds absolute redirects (sign-in)
        // from Host and X-Forwarded-Proto, so Host keeps the port the browser used.
        var panelRoute = new ProxyRoute("/", panel.Upstream, Websocket: true, HeaderValue.ClientHostAndPort, HttpsRedirects: false, StartPage: null);
        var panelServer = new ServerBlock(target.ListenAddresses.Select(a => new Listener(a, panel.Port, Tls: true)).ToList(), names, tls,
            [new ProxyLocation("/", panel.Upstream, Headers(panelRoute), Websocket: true, HttpsRedirects: false)]);
        return new NginxSite([http, https, panelServer]);
    }

    static List<ProxyHeader> Headers(ProxyRoute route)
    {
        var headers = new List<ProxyHeader>
        {
            new("Host", route.HostHeader),
            new("X-Real-IP", HeaderValue.ClientAddress),
            new("X-Forwarded-For", HeaderValue.ForwardedFor),
            new("X-Forwarded-Proto", HeaderValue.Scheme),
            new("X-Forwarded-Host", HeaderValue.ClientHost),
        };
        if (route.Websocket)
        {
            headers.Add(new("Upgrade", HeaderValue.Upgrade));
            headers.Add(new("Connection", HeaderValue.ConnectionUpgrade));
        }
        return headers;
    }
}
