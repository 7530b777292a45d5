namespace ControlPanel.Engine.Nginx;

/// <summary>panel.sh's routes, as the starting point of DATA/proxy/routes.json.</summary>
public static class DefaultSite
{
    public static ProxySettings For(string domain, string panelType) => new()
    {
        Domain = domain,
        Routes =
        [
            // panel.sh: faasd panels open the function namespace at the root, node panels their app on :3000.
            new() { Path = "/", Upstream = panelType == "node" ? "http://127.0.0.1:3000" : "http://127.0.0.1:8080/function/" },
            // No URI part: the app sees the full /pai/... path, as with panel.sh.
            new() { Path = "/pai/", Upstream = "http://127.0.0.1:5523" },
            // The gateway UI calls its API with relative URLs ("../system/functions"). panel.sh mapped /faasd/ to
            // /ui/, so those calls escaped to /system/... and hit the root route. Mapping /faasd/ to the gateway's
            // root keeps them under /faasd/ (/faasd/ui/ -> /ui/, /faasd/system/ -> /system/).
            new() { Path = "/faasd/", Upstream = "http://127.0.0.1:8080/", StartPage = "/faasd/ui/" },
            // panel.sh sent "Host: $host:443/codeserver" so that old code-server's absolute redirects came back under the
            // prefix; current code-server redirects relatively and checks the WebSocket Origin against Host, so the
            // client's Host is passed and absolute http:// redirects are turned into https:// as panel.sh did.
            new() { Path = "/codeserver/", Upstream = "http://127.0.0.1:5000/", HttpsRedirects = true },
        ],
    };
}
