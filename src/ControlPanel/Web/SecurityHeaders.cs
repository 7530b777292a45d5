namespace ControlPanel.Web;

/// <summary>
/// Headers on every answer. The panel runs as root on the host it manages, so a script injected into one of its pages
/// could do anything the administrator can: only the panel's own script files run (no inline script, no eval), it is
/// never framed, never sniffed, and never tells other sites its addresses (they may hold the setup token).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Style attributes stay allowed: Blazor's reconnect dialog and the components set inline styles, and a style
    /// cannot run code. Blazor's circuit connects back to the page's own origin ('self' covers ws: and wss: there).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>A year; only over TLS (install.sh --public's nginx, or the panel's own HTTPS), where a browser keeps it.</summary>
    public const string StrictTransportSecurity = "max-age=31536000";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.IsHttps) headers.StrictTransportSecurity = StrictTransportSecurity;
        return next(http);
    });
}
