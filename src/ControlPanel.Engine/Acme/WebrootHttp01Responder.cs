using ControlPanel.Engine.Hosts;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// Writes the key authorization to WEBROOT/.well-known/acme-challenge/TOKEN on the host (0644, world-readable for
/// nginx workers) and deletes it afterwards: the way when nginx serves the challenge path.
/// </summary>
public sealed class WebrootHttp01Responder(IHost host, string webroot) : IHttp01Responder
{
    public const string DefaultWebroot = "/var/www/controlpanel-acme";

    readonly HashSet<string> published = new();

    public string PathOf(string token) => $"{webroot.TrimEnd('/')}/.well-known/acme-challenge/{Http01Token.Require(token)}";

    public async Task PublishAsync(string token, string keyAuthorization, CancellationToken ct)
    {
        await host.WriteFileAsync(new FileSpec(PathOf(token), keyAuthorization, "0644"), ct);
        published.Add(token);
    }

    public async Task RemoveAsync(string token, CancellationToken ct)
    {
        await host.DeleteFileAsync(PathOf(token), ct);
        published.Remove(token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var token in published.ToList()) await RemoveAsync(token, CancellationToken.None);
    }
}
