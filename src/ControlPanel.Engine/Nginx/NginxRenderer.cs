using System.Text.RegularExpressions;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// Turns the model into the text of a site file through the nginx/ templates. Every value taken from the model
/// passes <see cref="Arg"/> once more, so even a model built without <see cref="ProxyInputs"/> cannot smuggle
/// syntax into a directive.
/// </summary>
public static partial class NginxRenderer
{
    public static string Render(NginxSite site) =>
        NginxTemplates.Render("site.conf", new Dictionary<string, string> { ["servers"] = string.Concat(site.Servers.Select(Server)) });

    static string Server(ServerBlock server) => NginxTemplates.Render("server.conf", new Dictionary<string, string>
    {
        ["listeners"] = string.Join('\n', server.Listeners.Select(Listen)),
        ["server_names"] = string.Join(' ', server.ServerNames.Select(Arg)),
        ["tls"] = server.Tls is null ? "" : Tls(server.Tls),
        ["locations"] = string.Concat(server.Locations.Select(Location)),
    });

    static string Listen(Listener l)
    {
        if (l.Port is < 1 or > 65535) throw new ArgumentException($"listen port {l.Port} is out of range");
        var address = l.Address.Length == 0 ? "" : Arg(l.Address) + ":";
        return $"listen {address}{l.Port}" + (l.Tls ? " ssl http2;" : ";");
    }

    static string Tls(TlsSettings tls) => NginxTemplates.Render("tls.conf", new Dictionary<string, string>
    {
        ["certificate"] = Arg(tls.CertificatePath),
        ["certificate_key"] = Arg(tls.KeyPath),
        ["hsts"] = tls.Hsts ? NginxTemplates.Load("hsts.conf") : "",
    });

    static string Location(Location location) => location switch
    {
        ProxyLocation p => NginxTemplates.Render("location-proxy.conf", new Dictionary<string, string>
        {
            ["path"] = Arg(p.Path),
            ["upstream"] = Arg(p.Upstream.ToString()),
            ["headers"] = string.Join('\n', p.Headers.Select(Header)),
            ["options"] = (p.Websocket ? NginxTemplates.Load("websocket.conf") : "") + (p.HttpsRedirects ? NginxTemplates.Load("https-redirects.conf") : ""),
        }),
        StartPageLocation s => NginxTemplates.Render("location-start-page.conf", new Dictionary<string, string>
        {
            ["path"] = Arg(s.Path),
            ["target"] = Arg(s.Target),
        }),
        AcmeChallengeLocation a => NginxTemplates.Render("location-acme-challenge.conf", new Dictionary<string, string> { ["webroot"] = Arg(a.Webroot) }),
        HttpsRedirectLocation r => NginxTemplates.Render("location-https-redirect.conf", new Dictionary<string, string>
        {
            ["port_suffix"] = r.HttpsPort == 443 ? "" : ":" + r.HttpsPort,
        }),
        CertificatePendingLocation => NginxTemplates.Render("location-certificate-pending.conf", new Dictionary<string, string>()),
        _ => throw new ArgumentException($"no template for {location.GetType().Name}"),
    };

    static string Header(ProxyHeader h) =>
        HeaderName().IsMatch(h.Name) ? $"proxy_set_header {h.Name} {h.Value.Text};" : throw new ArgumentException($"invalid header name {h.Name}");

    /// <summary>A directive argument from the model: plain characters only, or the render stops.</summary>
    public static string Arg(string value) =>
        PlainArg().IsMatch(value) ? value : throw new ArgumentException($"refusing to render unsafe nginx argument \"{value}\"");

    [GeneratedRegex(@"^[A-Za-z0-9._~:/\[\]-]+$")] private static partial Regex PlainArg();
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9-]{0,63}$")] private static partial Regex HeaderName();
}
