namespace ControlPanel.Engine.Acme;

/// <summary>Serves http://DOMAIN/.well-known/acme-challenge/TOKEN for the CA while a challenge is being validated.</summary>
public interface IHttp01Responder : IAsyncDisposable
{
    Task PublishAsync(string token, string keyAuthorization, CancellationToken ct);
    Task RemoveAsync(string token, CancellationToken ct);
}

static class Http01Token
{
    /// <summary>The token comes from the CA and becomes a file name or a URL path: only base64url characters may pass.</summary>
    public static string Require(string token) =>
        Base64UrlText.IsValid(token) && token.Length <= 256 ? token : throw new AcmeException($"the CA sent an unusable challenge token: {token}");
}
