using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Messages;
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
    public string Directory { get; set; } = AcmeDirectorySettings.DefaultPreset;
    public string DirectoryUrl { get; set; } = "";
    public string DirectoryCa { get; set; } = "";
    public string EabKid { get; set; } = "";
    public string EabHmacKey { get; set; } = "";
    public string HttpPort { get; set; } = "";
    public string CertDirectory { get; set; } = "";

    public bool NeedsUrl => Directory == Custom;
    public bool OffersEab => Directory is Custom or "zerossl";

    /// <summary>The request, or the field that is wrong and why.</summary>
    public (PlanRequest? Request, string? Field, UserMessage? Reason) Validate()
    {
        try { return (ToRequest(), null, null); }
        catch (InputException e) { return (null, e.Field, e.Reason); }
    }

    PlanRequest ToRequest()
    {
        var names = Domains.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => HostName.RequireDomain(nameof(Domains), d)).Distinct().ToList();
        if (names.Count == 0) throw new InputException(nameof(Domains), null, InputReasons.Required.Message());
        var email = string.IsNullOrWhiteSpace(Email) ? null : Inputs.RequireEmail(nameof(Email), Email);
        Inputs.RequireOneOf(nameof(Directory), Directory, Directories);
        if (NeedsUrl && string.IsNullOrWhiteSpace(DirectoryUrl)) throw new InputException(nameof(DirectoryUrl), null, InputReasons.Required.Message());
        var directory = AcmeDirectorySettings.Parse(NeedsUrl ? nameof(DirectoryUrl) : nameof(Directory), NeedsUrl ? DirectoryUrl : Directory,
            nameof(DirectoryCa), DirectoryCa);
        var eab = OffersEab ? ExternalAccountBinding.Parse(nameof(EabKid), EabKid, nameof(EabHmacKey), EabHmacKey) : null;
        int? port = string.IsNullOrWhiteSpace(HttpPort) ? null : ChallengeSettings.ParsePort(nameof(HttpPort), HttpPort);
        var certDir = string.IsNullOrWhiteSpace(CertDirectory) ? null : CertificateStage.RequireAbsolute(nameof(CertDirectory), CertDirectory);

        var inputs = new Dictionary<string, string>
        {
            ["domain"] = names[0],
            ["acmeDirectory"] = directory.Url.ToString(),
            ["acmeChallenge"] = port is null ? ChallengeSettings.Auto : ChallengeSettings.Standalone,
        };
        if (names.Count > 1) inputs["acmeExtraDomains"] = string.Join(",", names.Skip(1));
        if (email is not null) inputs["email"] = email;
        if (directory.CaBundleFile is not null) inputs["acmeDirectoryCa"] = directory.CaBundleFile;
        if (port is not null) inputs["acmeHttpPort"] = port.Value.ToString();
        if (certDir is not null) inputs["acmeCertDir"] = certDir;
        var secrets = new Dictionary<string, string>();
        if (eab is not null)
        {
            inputs["acmeEabKid"] = eab.KeyId;
            secrets["acmeEabHmacKey"] = EabHmacKey.Trim();
        }
        return new PlanRequest(CertificatePlans.IssueKind, inputs, secrets);
    }
}
