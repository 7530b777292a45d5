using ControlPanel.Engine.Hosts;

namespace ControlPanel.Engine.Nginx;

/// <summary>The text our site file should have on a host: TLS when the certificate files are there, HTTP-only before.</summary>
public static class NginxSiteFile
{
    /// <summary>The first line of every file we write; a file without it is a user's.</summary>
    public const string Marker = "# Managed by ControlPanel.";

    public static bool IsOurs(string? text) => text is not null && text.StartsWith(Marker, StringComparison.Ordinal);

    public static async Task<string> RenderAsync(IHost host, NginxTarget target, ProxySite site, CancellationToken ct)
    {
        // Both asked at once: over SSH each is a round trip.
        var certificate = host.StatAsync(target.CertificatePath(site.Domain), ct);
        var key = host.StatAsync(target.KeyPath(site.Domain), ct);
        var present = await certificate is not null & await key is not null;
        return NginxRenderer.Render(SiteBuilder.Build(site, target, present));
    }
}
