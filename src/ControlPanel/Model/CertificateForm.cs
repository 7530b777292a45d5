using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Model;

/// <summary>
/// The "issue a certificate" form. Validated with the engine's own parsers under the form's field names, then
/// turned into the inputs of the certificate-issue plan (<see cref="CertificateStage"/>); the EAB HMAC key is a secret.
/// </summary>
public sealed class CertificateForm
{
    public const string Custom = "custom";
    public static readonly string[] Directories = [.. AcmeDirectorySettings.Presets.Keys, Custom];

    public string Domains { get; set; } = "";
    public string Email { get; set; } = "";
    // The panel starts on staging: a first try with a typo must not spend production's rate limits (the CLI keeps production).
    public const string FirstDirectory = "letsencrypt-staging";
    public string Directory { get; set; } = FirstDirectory;
    public string DirectoryUrl { get; set; } = "";
    public string DirectoryCa { get; set; } = "";
    public string EabKid { get; set; } = "";
    public string EabHmacKey { get; set; } = "";
    public string HttpPort { get; set; } = "";
    public string CertDirectory { get; set; } = "";

    public bool NeedsUrl => Directory == Custom;
    public bool OffersEab => Directory is Custom or "zerossl";

    /// <summary>The request, or every field that is wrong and why.</summary>
    public (CertificateIssueRequest? Request, FieldErrors Errors) Validate()
    {
        var own = FieldErrors.None;
        try
        {
            Inputs.RequireOneOf(nameof(Directory), Directory, Directories);
            if (NeedsUrl && string.IsNullOrWhiteSpace(DirectoryUrl)) throw new InputException(nameof(DirectoryUrl), null, InputReasons.Required.Message());
        }
        catch (InputException e) { own = FieldErrors.Of(e); }
        var names = Domains.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            var request = CertificateIssueRequest.Parse(names, Email, NeedsUrl ? DirectoryUrl : Directory, DirectoryCa,
                OffersEab ? EabKid : null, OffersEab ? EabHmacKey : null,
                challenge: string.IsNullOrWhiteSpace(HttpPort) ? ChallengeSettings.Auto : ChallengeSettings.Standalone,
                httpPort: string.IsNullOrWhiteSpace(HttpPort) ? null : HttpPort,
                certDirectory: string.IsNullOrWhiteSpace(CertDirectory) ? null : CertDirectory);
            return own.Any ? (null, own) : (request, FieldErrors.None);
        }
        catch (InputException e) { return (null, own.And(FieldErrors.Of(e.Rename(FieldOf)))); }
    }

    /// <summary>What the preview was made for: starting needs a preview of exactly these inputs.</summary>
    public string Fingerprint => string.Join('\u001f', Domains, Email, Directory, DirectoryUrl, DirectoryCa, EabKid, EabHmacKey, HttpPort, CertDirectory);

    /// <summary>Form field for each of the request's field keys.</summary>
    string FieldOf(string key) => key switch
    {
        "domain" or "acmeExtraDomains" => nameof(Domains),
        "email" => nameof(Email),
        "acmeDirectory" => NeedsUrl ? nameof(DirectoryUrl) : nameof(Directory),
        "acmeDirectoryCa" => nameof(DirectoryCa),
        "acmeEabKid" => nameof(EabKid),
        "acmeEabHmacKey" => nameof(EabHmacKey),
        "acmeHttpPort" => nameof(HttpPort),
        "acmeCertDir" => nameof(CertDirectory),
        _ => key,
    };
}
