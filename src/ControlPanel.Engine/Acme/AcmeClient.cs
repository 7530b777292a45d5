using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// An RFC 8555 client over one directory and one account key: JWS-signed requests with nonce handling,
/// account registration, orders, challenges, finalization and certificate download. Not thread-safe: one
/// issuance at a time per instance.
/// </summary>
public sealed class AcmeClient : IDisposable
{
    readonly HttpClient http;
    readonly AccountKey key;
    readonly AcmeClientOptions options;
    readonly Uri directoryUrl;
    AcmeDirectory? directory;
    string? nonce;

    public AcmeClient(AcmeDirectorySettings settings, AccountKey key, AcmeClientOptions? options = null)
    {
        this.key = key;
        this.options = options ?? new AcmeClientOptions();
        directoryUrl = settings.Url;
        http = new HttpClient(CreateHandler(settings.CaBundleFile)) { Timeout = this.options.RequestTimeout };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("controlpanel-acme", "1.0"));
    }

    /// <summary>The account URL (JWS "kid") once registered or looked up.</summary>
    public string? AccountUrl { get; set; }

    public AccountKey Key => key;

    /// <summary>How many signed requests the CA refused with badNonce and we re-sent.</summary>
    public int BadNonceRetries { get; private set; }

    static SocketsHttpHandler CreateHandler(string? caBundleFile)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (caBundleFile is not null)
        {
            // Trust exactly this bundle for the directory's TLS (a private CA, or pebble's test CA); host names are still checked.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(AcmeDirectorySettings.LoadBundle(caBundleFile));
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }
        return handler;
    }

    public async Task<AcmeDirectory> GetDirectoryAsync(CancellationToken ct)
    {
        if (directory is not null) return directory;
        var url = directoryUrl.ToString();
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), url, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new AcmeException($"{url} is not an ACME directory: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        JsonNode? json = null;
        try { json = JsonNode.Parse(text); } catch (JsonException) { }
        directory = AcmeDirectory.TryParse(json)
                    ?? throw new AcmeException($"{url} is not an ACME directory: the answer has no newNonce, newAccount and newOrder URLs");
        return directory;
    }

    /// <summary>Registers the account key (or finds the account it already has) and agrees to the CA's terms.</summary>
    public async Task<string> NewAccountAsync(string? email, ExternalAccountBinding? eab, CancellationToken ct)
    {
        var dir = await GetDirectoryAsync(ct);
        var payload = new JsonObject { ["termsOfServiceAgreed"] = true };
        if (email is not null) payload["contact"] = new JsonArray("mailto:" + email);
        if (eab is not null) payload["externalAccountBinding"] = Jws.ExternalAccountBinding(eab, key, dir.NewAccount);
        var response = await PostAsync(dir.NewAccount, payload.ToJsonString(), useJwk: true, ct, purpose: "new account");
        AccountUrl = response.Location ?? throw new AcmeException($"{dir.NewAccount} answered without the account's Location");
        return AccountUrl;
    }

    public async Task<AcmeOrder> NewOrderAsync(IReadOnlyList<string> domains, CancellationToken ct)
    {
        var dir = await GetDirectoryAsync(ct);
        var payload = new JsonObject
        {
            ["identifiers"] = new JsonArray(domains.Select(d => (JsonNode)new JsonObject { ["type"] = "dns", ["value"] = d }).ToArray()),
        };
        var response = await PostAsync(dir.NewOrder, payload.ToJsonString(), useJwk: false, ct, purpose: "order for " + string.Join(", ", domains));
        var location = response.Location ?? throw new AcmeException($"{dir.NewOrder} answered without the order's Location");
        return AcmeOrder.Parse(location, response.Json());
    }

    public async Task<(AcmeOrder Order, TimeSpan? RetryAfter)> GetOrderAsync(string url, CancellationToken ct)
    {
        var r = await PostAsync(url, null, useJwk: false, ct);
        return (AcmeOrder.Parse(url, r.Json()), r.RetryAfter);
    }

    public async Task<(AcmeAuthorization Authorization, TimeSpan? RetryAfter)> GetAuthorizationAsync(string url, CancellationToken ct)
    {
        var r = await PostAsync(url, null, useJwk: false, ct);
        return (AcmeAuthorization.Parse(url, r.Json()), r.RetryAfter);
    }

    /// <summary>Tells the CA the challenge response is in place (an empty JSON object, RFC 8555 section 7.5.1).</summary>
    public Task AnswerChallengeAsync(AcmeChallenge challenge, CancellationToken ct) => PostAsync(challenge.Url, "{}", useJwk: false, ct);

    public string KeyAuthorization(AcmeChallenge challenge) => $"{challenge.Token}.{key.Thumbprint}";

    public async Task<AcmeOrder> FinalizeAsync(AcmeOrder order, byte[] csrDer, CancellationToken ct)
    {
        var payload = new JsonObject { ["csr"] = Base64UrlText.Encode(csrDer) };
        var r = await PostAsync(order.Finalize, payload.ToJsonString(), useJwk: false, ct);
        return AcmeOrder.Parse(order.Url, r.Json());
    }

    /// <summary>Downloads a PEM chain with POST-as-GET; also returns the alternate chains the CA links to.</summary>
    public async Task<(string Pem, IReadOnlyList<string> Alternates)> DownloadCertificateAsync(string url, CancellationToken ct)
    {
        var r = await PostAsync(url, null, useJwk: false, ct, accept: "application/pem-certificate-chain");
        return (r.Body, r.Links("alternate"));
    }

    /// <summary>Polls until <paramref name="done"/>, honouring Retry-After, else backing off exponentially.</summary>
    public async Task<T> PollAsync<T>(Func<CancellationToken, Task<(T Value, TimeSpan? RetryAfter)>> fetch, Func<T, bool> done, Func<T, string> describe, CancellationToken ct)
    {
        var delay = options.PollInitialDelay;
        var deadline = DateTime.UtcNow + options.PollTimeout;
        while (true)
        {
            var (value, retryAfter) = await fetch(ct);
            if (done(value)) return value;
            var wait = retryAfter ?? delay;
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.PollMaxDelay.Ticks));
            if (DateTime.UtcNow + wait > deadline)
                throw new AcmeException($"gave up after {options.PollTimeout.TotalSeconds:0} s: {describe(value)}");
            await Task.Delay(wait, ct);
        }
    }

    /// <summary>A JWS-signed POST. badNonce is answered by signing again with the fresh nonce the error carried.</summary>
    internal async Task<AcmeResponse> PostAsync(string url, string? payload, bool useJwk, CancellationToken ct, string accept = "application/json", string? purpose = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var header = new JsonObject { ["alg"] = AccountKey.Algorithm, ["nonce"] = await TakeNonceAsync(ct), ["url"] = url };
            if (useJwk) header["jwk"] = key.Jwk();
            else header["kid"] = AccountUrl ?? throw new InvalidOperationException("no ACME account yet: call NewAccountAsync first");
            var body = Jws.Sign(key, header, payload);
            using var response = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
                request.Headers.Accept.ParseAdd(accept);
                return request;
            }, url, ct);
            var result = await AcmeResponse.ReadAsync(response, ct);
            if (result.Nonce is not null) nonce = result.Nonce;
            if (result.IsSuccess) return result;
            var problem = result.Problem();
            if (problem?.Type == AcmeProblem.BadNonce && attempt < options.MaxBadNonceRetries)
            {
                BadNonceRetries++;
                continue;
            }
            var where = (purpose is null ? "" : purpose + ": ") + $"HTTP {result.Status} from {url}";
            if (problem is not null) throw new AcmeProblemException(problem, where);
            throw new AcmeException($"{where}: {Snippet(result.Body)}");
        }
    }

    async Task<string> TakeNonceAsync(CancellationToken ct)
    {
        if (nonce is { } n)
        {
            nonce = null;
            return n;
        }
        var dir = await GetDirectoryAsync(ct);
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, dir.NewNonce), dir.NewNonce, ct);
        return response.Headers.TryGetValues("Replay-Nonce", out var values) ? values.First()
            : throw new AcmeException($"{dir.NewNonce} gave no Replay-Nonce (HTTP {(int)response.StatusCode})");
    }

    /// <summary>Sends one request; a network or TLS failure becomes a message that names the URL and the cause.</summary>
    async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string url, CancellationToken ct)
    {
        using var request = create();
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new AcmeException($"cannot reach the ACME server at {url}: {Describe(e)}", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new AcmeException($"the ACME server at {url} did not answer within {options.RequestTimeout.TotalSeconds:0} s", e);
        }
    }

    static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
            if (!parts.Any(p => p.Contains(x.Message, StringComparison.Ordinal))) parts.Add(x.Message);
        return string.Join(": ", parts);
    }

    static string Snippet(string body) => body.Length <= 300 ? body : body[..300] + "...";

    public void Dispose() => http.Dispose();
}

/// <summary>What came back from a signed request, read once.</summary>
sealed class AcmeResponse
{
    public required int Status { get; init; }
    public required string Body { get; init; }
    public required string? ContentType { get; init; }
    public required string? Location { get; init; }
    public required string? Nonce { get; init; }
    public required TimeSpan? RetryAfter { get; init; }
    public required IReadOnlyList<string> LinkHeaders { get; init; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public static async Task<AcmeResponse> ReadAsync(HttpResponseMessage r, CancellationToken ct)
    {
        TimeSpan? retryAfter = r.Headers.RetryAfter switch
        {
            { Delta: { } d } => d,
            { Date: { } at } => at - DateTimeOffset.UtcNow,
            _ => null,
        };
        if (retryAfter < TimeSpan.Zero) retryAfter = TimeSpan.Zero;
        return new AcmeResponse
        {
            Status = (int)r.StatusCode,
            Body = await r.Content.ReadAsStringAsync(ct),
            ContentType = r.Content.Headers.ContentType?.MediaType,
            Location = r.Headers.Location?.ToString(),
            Nonce = r.Headers.TryGetValues("Replay-Nonce", out var n) ? n.First() : null,
            RetryAfter = retryAfter,
            LinkHeaders = r.Headers.TryGetValues("Link", out var links) ? links.ToList() : [],
        };
    }

    public JsonNode Json()
    {
        try { return JsonNode.Parse(Body) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new AcmeException($"the ACME server sent something that is not JSON (HTTP {Status}): {e.Message}"); }
    }

    public AcmeProblem? Problem()
    {
        if (ContentType != "application/problem+json") return null;
        try { return AcmeProblem.Parse(JsonNode.Parse(Body)); }
        catch (JsonException) { return null; }
    }

    /// <summary>The targets of Link headers with the given rel, e.g. &lt;https://ca/cert/1/1&gt;;rel="alternate".</summary>
    public IReadOnlyList<string> Links(string rel) =>
        LinkHeaders.SelectMany(h => h.Split(','))
            .Select(l => l.Split(';'))
            .Where(p => p.Skip(1).Any(a => a.Trim().Replace(" ", "") is var t && (t == $"rel=\"{rel}\"" || t == $"rel={rel}")))
            .Select(p => p[0].Trim().TrimStart('<').TrimEnd('>'))
            .ToList();
}
