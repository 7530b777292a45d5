using System.Security.Cryptography;
using ControlPanel.Engine.Logging;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// One issuance from start to end (RFC 8555 section 7): account, order, HTTP-01 for every pending authorization,
/// finalize with a fresh key's CSR, download, and the preferred chain if the CA offers it.
/// </summary>
public sealed class AcmeIssuer(AccountStore accounts, AcmeClientOptions? options = null)
{
    public async Task<IssuedCertificate> IssueAsync(CertificateOrderSpec spec, ExternalAccountBinding? eab, IHttp01Responder responder, IStageLog log, CancellationToken ct)
    {
        var (key, accountUrl) = accounts.LoadOrCreate(spec.Directory.Url);
        using var _ = key;
        using var client = new AcmeClient(spec.Directory, key, options);
        await client.GetDirectoryAsync(ct);

        AcmeOrder order;
        if (accountUrl is null) await RegisterAsync(client, spec, eab, log, ct);
        else client.AccountUrl = accountUrl;
        try
        {
            order = await client.NewOrderAsync(spec.Domains, ct);
        }
        catch (AcmeProblemException e) when (e.Problem.Type == AcmeProblem.AccountDoesNotExist && accountUrl is not null)
        {
            // The CA forgot the account (a test CA restarted, or it was deactivated): register the same key again.
            log.Warn($"ACME account {accountUrl} is unknown to the CA; registering again");
            await RegisterAsync(client, spec, eab, log, ct);
            order = await client.NewOrderAsync(spec.Domains, ct);
        }
        log.Info($"order for {string.Join(", ", spec.Domains)}: {order.Status}");

        if (order.Status == "pending") await AuthorizeAsync(client, order, responder, log, ct);

        order = await client.PollAsync(c => client.GetOrderAsync(order.Url, c), o => o.Status != "pending",
            o => $"order {o.Url} is still {o.Status}", ct);
        var (certKey, finalized) = await FinalizeAsync(client, spec, order, ct);
        using var __ = certKey;
        order = finalized.Status is "processing" or "ready"
            ? await client.PollAsync(c => client.GetOrderAsync(order.Url, c), o => o.Status is not ("processing" or "ready"),
                o => $"order {o.Url} is still {o.Status}", ct)
            : finalized;
        if (order.Status != "valid" || order.Certificate is null)
            throw order.Error is { } err ? new AcmeProblemException(err, $"order {order.Url} is {order.Status}")
                : new AcmeException($"order {order.Url} ended {order.Status} without a certificate");

        var pem = await DownloadAsync(client, order.Certificate, spec.PreferredChain, log, ct);
        var issued = new IssuedCertificate(pem, certKey.ExportPkcs8PrivateKeyPem() + "\n");
        if (client.BadNonceRetries > 0) log.Info($"the CA refused {client.BadNonceRetries} nonce(s) with badNonce; each request was signed again with a fresh one");
        log.Info($"certificate issued for {string.Join(", ", issued.Names)}: serial {issued.Leaf.SerialNumber}, valid until {issued.NotAfter:u}, chain up to {issued.TopIssuer}");
        return issued;
    }

    /// <summary>
    /// Asks the CA for its directory with a throw-away client and key. Run beside other work (`cert issue` records and
    /// queues its run meanwhile), it takes the exchange's cold code (TLS, the CA bundle, EC keys, JSON) off the
    /// issuance's path. Failures are left to the issuance, which reports them.
    /// </summary>
    public static async Task WarmUpAsync(AcmeDirectorySettings directory, CancellationToken ct)
    {
        try
        {
            using var key = AccountKey.Create();
            using var client = new AcmeClient(directory, key);
            await client.GetDirectoryAsync(ct);
        }
        catch (Exception) { }
    }

    async Task RegisterAsync(AcmeClient client, CertificateOrderSpec spec, ExternalAccountBinding? eab, IStageLog log, CancellationToken ct)
    {
        var url = await client.NewAccountAsync(spec.Email, eab, ct);
        accounts.Save(spec.Directory.Url, client.Key, url);
        log.Info($"ACME account {url}" + (eab is null ? "" : $" (bound with {eab})"));
    }

    static async Task AuthorizeAsync(AcmeClient client, AcmeOrder order, IHttp01Responder responder, IStageLog log, CancellationToken ct)
    {
        var pending = new List<(AcmeAuthorization Authz, AcmeChallenge Challenge)>();
        foreach (var url in order.Authorizations)
        {
            var (authz, _) = await client.GetAuthorizationAsync(url, ct);
            // Authorizations may be valid already (reused from an earlier order): nothing to prove then.
            if (authz.Status == "valid") { log.Info($"{authz.Identifier}: already authorized"); continue; }
            if (authz.Status != "pending")
                throw authz.Error is { } e ? new AcmeProblemException(e, $"authorization for {authz.Identifier} is {authz.Status}")
                    : new AcmeException($"authorization for {authz.Identifier} is {authz.Status} ({url})");
            var challenge = authz.Challenges.FirstOrDefault(c => c.Type == AcmeChallenge.Http01)
                            ?? throw new AcmeException($"the CA offers no http-01 challenge for {authz.Identifier} (offers: {string.Join(", ", authz.Challenges.Select(c => c.Type))})");
            pending.Add((authz, challenge));
        }
        if (pending.Count == 0) return;

        try
        {
            foreach (var (_, challenge) in pending) await responder.PublishAsync(challenge.Token, client.KeyAuthorization(challenge), ct);
            foreach (var (_, challenge) in pending) await client.AnswerChallengeAsync(challenge, ct);
            foreach (var (authz, _) in pending)
            {
                var done = await client.PollAsync(c => client.GetAuthorizationAsync(authz.Url, c), a => a.Status != "pending",
                    a => $"http-01 validation of {a.Identifier} is still {a.Status}", ct);
                if (done.Status != "valid")
                    throw done.Error is { } e ? new AcmeProblemException(e, $"http-01 validation of {done.Identifier} failed")
                        : new AcmeException($"http-01 validation of {done.Identifier} ended {done.Status}");
                log.Info($"{done.Identifier}: http-01 validated");
            }
        }
        finally
        {
            foreach (var (_, challenge) in pending) await responder.RemoveAsync(challenge.Token, CancellationToken.None);
        }
    }

    static async Task<(AsymmetricAlgorithm Key, AcmeOrder Order)> FinalizeAsync(AcmeClient client, CertificateOrderSpec spec, AcmeOrder order, CancellationToken ct)
    {
        if (order.Status != "ready")
            throw order.Error is { } e ? new AcmeProblemException(e, $"order {order.Url} is {order.Status}")
                : new AcmeException($"order {order.Url} is {order.Status}, not ready to finalize");
        var (key, csr) = CertificateKeyType.CreateCsr(spec.KeyType, spec.Domains);
        try
        {
            return (key, await client.FinalizeAsync(order, csr, ct));
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The default chain, unless a preferred issuer is asked for and only an alternate chain ends at it.</summary>
    static async Task<string> DownloadAsync(AcmeClient client, string url, string? preferred, IStageLog log, CancellationToken ct)
    {
        var (pem, alternates) = await client.DownloadCertificateAsync(url, ct);
        if (preferred is null || Matches(pem, preferred)) return pem;
        foreach (var alternate in alternates)
        {
            var (altPem, _) = await client.DownloadCertificateAsync(alternate, ct);
            if (Matches(altPem, preferred)) { log.Info($"using the alternate chain issued by {preferred}"); return altPem; }
        }
        log.Warn($"no chain from the CA is issued by \"{preferred}\"; using the default chain");
        return pem;
    }

    static bool Matches(string pem, string issuer) =>
        string.Equals(new IssuedCertificate(pem, "").TopIssuer, issuer.Trim(), StringComparison.OrdinalIgnoreCase);
}
