using System.Globalization;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// A certificate to issue onto the host a run works on: its names (the first is the subject), the CA and the account
/// (contact, External Account Binding, whose HMAC key is a secret), the key type and preferred chain, how HTTP-01 is
/// answered and where the four files go. Validated where it is made; errors name the field by key.
/// </summary>
public sealed record CertificateIssueRequest(IReadOnlyList<string> Domains, string? Email, AcmeDirectorySettings Directory, string KeyType,
    string? PreferredChain, ChallengeSettings Challenge, string CertDirectory) : PlanRequest
{
    public const string Kind = "certificate-issue";

    public string? EabKid { get; init; }
    /// <summary>Secret: kept with the run's secrets, never in its inputs, masked in its log.</summary>
    public string? EabHmacKey { get; init; }

    public override string PlanKind => Kind;

    /// <summary>The binding to give the CA when the account is created, or null.</summary>
    public ExternalAccountBinding? Eab => ExternalAccountBinding.Parse("acmeEabKid", EabKid, "acmeEabHmacKey", EabHmacKey);

    /// <summary>The certificate with its recipe, as the host it goes to will keep it.</summary>
    public ManagedCertificate On(string hostKey) => new(ManagedCertificate.HostSpecOf(hostKey), CertDirectory,
        new CertificateOrderSpec(Domains, Email, Directory, KeyType, PreferredChain), Challenge);

    /// <summary>Validates raw values; missing optional ones take their defaults (Let's Encrypt, EC keys, files in /etc/letsencrypt/live/DOMAIN).</summary>
    public static CertificateIssueRequest Parse(IReadOnlyList<string?> domains, string? email, string? directory, string? directoryCa,
        string? eabKid = null, string? eabHmacKey = null, string? keyType = null, string? preferredChain = null,
        string? challenge = null, string? httpPort = null, string? webroot = null, string? certDirectory = null)
    {
        var errors = new InputErrors();
        var names = errors.Check(() => domains.Count == 0 || string.IsNullOrWhiteSpace(domains[0])
            ? throw new InputException("domain", null, InputReasons.Required.Message())
            : domains.Select((d, i) => HostName.RequireDomain(i == 0 ? "domain" : "acmeExtraDomains", d)).Distinct().ToList());
        var eab = errors.Check(() => ExternalAccountBinding.Parse("acmeEabKid", eabKid, "acmeEabHmacKey", eabHmacKey));
        var contact = errors.Check(() => string.IsNullOrWhiteSpace(email) ? null : Inputs.RequireEmail("email", email));
        var ca = errors.Check(() => AcmeDirectorySettings.Parse("acmeDirectory", directory, "acmeDirectoryCa", directoryCa));
        var key = errors.Check(() => CertificateKeyType.Parse("acmeKeyType", keyType));
        var mode = errors.Check(() => ChallengeSettings.ParseMode("acmeChallenge", challenge));
        var port = errors.Check(() => ChallengeSettings.ParsePort("acmeHttpPort", httpPort));
        var root = errors.Check(() => string.IsNullOrWhiteSpace(webroot) ? WebrootHttp01Responder.DefaultWebroot : CertificateStage.RequireAbsolute("acmeWebroot", webroot));
        var folder = errors.Check(() => string.IsNullOrWhiteSpace(certDirectory) ? null : CertificateStage.RequireAbsolute("acmeCertDir", certDirectory));
        errors.ThrowIfAny();
        return new CertificateIssueRequest(
            names!,
            contact,
            ca!,
            key!,
            string.IsNullOrWhiteSpace(preferredChain) ? null : preferredChain.Trim(),
            new ChallengeSettings(mode!, port, root!),
            folder ?? CertificateFiles.DefaultDirectory(names![0]))
        {
            EabKid = eab?.KeyId,
            EabHmacKey = eab is null ? null : eabHmacKey!.Trim(),
        };
    }

    public override StoredRequest Store() => new(Kind,
        new Dictionary<string, string>
        {
            ["domain"] = Domains[0],
            ["acmeExtraDomains"] = string.Join(',', Domains.Skip(1)),
            ["email"] = Email ?? "",
            ["acmeDirectory"] = Directory.Url.ToString(),
            ["acmeDirectoryCa"] = Directory.CaBundleFile ?? "",
            ["acmeEabKid"] = EabKid ?? "",
            ["acmeKeyType"] = KeyType,
            ["acmePreferredChain"] = PreferredChain ?? "",
            ["acmeChallenge"] = Challenge.Mode,
            ["acmeHttpPort"] = Challenge.HttpPort.ToString(CultureInfo.InvariantCulture),
            ["acmeWebroot"] = Challenge.Webroot,
            ["acmeCertDir"] = CertDirectory,
        },
        EabHmacKey is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["acmeEabHmacKey"] = EabHmacKey });

    public static CertificateIssueRequest From(StoredRequest r) => Parse(
        [r.Input("domain"), .. (r.Input("acmeExtraDomains") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        r.Input("email"), r.Input("acmeDirectory"), r.Input("acmeDirectoryCa"), r.Input("acmeEabKid"), r.Secret("acmeEabHmacKey"),
        r.Input("acmeKeyType"), r.Input("acmePreferredChain"), r.Input("acmeChallenge"), r.Input("acmeHttpPort"), r.Input("acmeWebroot"), r.Input("acmeCertDir"));
}

/// <summary>"Renew now" for one managed certificate.</summary>
public sealed record CertificateRenewRequest(long CertificateId) : PlanRequest
{
    public const string Kind = "certificate-renew";

    public override string PlanKind => Kind;

    public override StoredRequest Store() => new(Kind,
        new Dictionary<string, string> { ["certificateId"] = CertificateId.ToString(CultureInfo.InvariantCulture) }, new Dictionary<string, string>());

    public static CertificateRenewRequest From(StoredRequest r) =>
        long.TryParse(r.Input("certificateId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? new(id)
            : throw new InputException("certificateId", r.Input("certificateId"), InputReasons.NotANumber.Message());
}
