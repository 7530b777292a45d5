using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// What the user asks an install for (panel.sh's -d -m -t -p and its mirror), validated at the edge; errors name the
/// field by key ("domain", "downloadMirror"), which the CLI shows as its flag and the panel at its field.
/// </summary>
public sealed record InstallRequest(string Domain, string Email, string PanelType, string Profile, Uri? DownloadMirror, string FaasdPassword) : PlanRequest
{
    /// <summary>The user accepted the faasd EULA (needed for profiles that install faasd 0.19+).</summary>
    public bool AcceptEula { get; init; }
    /// <summary>sha256 hashes the user confirmed for files that have no official checksum (faasd 0.9.5).</summary>
    public IReadOnlyList<string> ConfirmHashes { get; init; } = [];
    /// <summary>The password was generated, not chosen: an existing one on the host is kept, so a second install changes nothing.</summary>
    public bool PasswordGenerated { get; init; }
    /// <summary>A versions manifest that replaces the built-in one (a mirror serving its own builds, e.g. test fixtures).</summary>
    public string? VersionsFile { get; init; }
    /// <summary>The certificate authority: letsencrypt (default), letsencrypt-staging, zerossl or a directory URL.</summary>
    public string? AcmeDirectory { get; init; }
    /// <summary>A PEM bundle trusted for the directory's TLS (a private CA, or pebble in tests).</summary>
    public string? AcmeDirectoryCa { get; init; }
    public string? EabKid { get; init; }
    /// <summary>Secret: kept with the run's secrets, never in its inputs.</summary>
    public string? EabHmacKey { get; init; }

    public const string Kind = "install";

    public override string PlanKind => Kind;
    public static readonly string[] PanelTypes = ["faasd", "node"];

    /// <summary>Validates raw values; a missing password is generated (never a shipped default).</summary>
    public static InstallRequest Parse(string? domain, string? email, string? panelType, string? profile, string? downloadMirror, string? password,
        IEnumerable<string> knownProfiles, bool acceptEula = false, IEnumerable<string>? confirmHashes = null, string? versionsFile = null,
        string? acmeDirectory = null, string? acmeDirectoryCa = null, string? eabKid = null, string? eabHmacKey = null)
    {
        var errors = new InputErrors();
        // Checked here so that a bad CA setting is refused before anything runs, not at the certificate stage.
        errors.Check(() => Acme.AcmeDirectorySettings.Parse("acmeDirectory", acmeDirectory, "acmeDirectoryCa", acmeDirectoryCa));
        errors.Check(() => Acme.ExternalAccountBinding.Parse("eabKid", eabKid, "eabHmacKey", eabHmacKey));
        if (versionsFile is not null) knownProfiles = Artifacts.ArtifactManifest.Load("versionsFile", versionsFile).Profiles.Keys;
        var type = errors.Check(() => panelType?.Trim() switch
        {
            null or "" => "faasd",
            // panel.sh's -t took 0 for faasd and anything else for node.
            "0" => "faasd",
            "1" => "node",
            var t => Inputs.RequireOneOf("panelType", t, PanelTypes),
        });
        var name = errors.Check(() => HostName.RequireDomain("domain", domain));
        var contact = errors.Check(() => Inputs.RequireEmail("email", email));
        var chosen = errors.Check(() => Inputs.RequireOneOf("profile", string.IsNullOrWhiteSpace(profile) ? "seed" : profile, knownProfiles.ToArray()));
        var mirror = errors.Check(() => string.IsNullOrWhiteSpace(downloadMirror) ? null : Inputs.RequireHttpUrl("downloadMirror", downloadMirror));
        var secret = errors.Check(() => password is null ? PasswordGenerator.Create() : Inputs.RequirePassword("password", password));
        errors.ThrowIfAny();
        return new InstallRequest(name!, contact!, type!, chosen!, mirror, secret!)
        {
            AcceptEula = acceptEula,
            ConfirmHashes = Artifacts.ConfirmedHashes.ParseInput(string.Join(',', confirmHashes ?? [])),
            PasswordGenerated = password is null,
            VersionsFile = versionsFile is null ? null : Path.GetFullPath(versionsFile),
            AcmeDirectory = string.IsNullOrWhiteSpace(acmeDirectory) ? null : acmeDirectory.Trim(),
            AcmeDirectoryCa = string.IsNullOrWhiteSpace(acmeDirectoryCa) ? null : Path.GetFullPath(acmeDirectoryCa),
            EabKid = string.IsNullOrWhiteSpace(eabKid) ? null : eabKid.Trim(),
            EabHmacKey = string.IsNullOrWhiteSpace(eabHmacKey) ? null : eabHmacKey.Trim(),
        };
    }

    public override StoredRequest Store() => new(Kind,
        new Dictionary<string, string>
        {
            ["domain"] = Domain,
            ["email"] = Email,
            ["panelType"] = PanelType,
            ["profile"] = Profile,
            ["downloadMirror"] = DownloadMirror?.ToString() ?? "",
            ["acceptEula"] = AcceptEula ? "true" : "false",
            ["confirmHash"] = string.Join(',', ConfirmHashes),
            ["passwordGenerated"] = PasswordGenerated ? "true" : "false",
            ["versionsFile"] = VersionsFile ?? "",
            ["acmeDirectory"] = AcmeDirectory ?? "",
            ["acmeDirectoryCa"] = AcmeDirectoryCa ?? "",
            ["acmeEabKid"] = EabKid ?? "",
        },
        EabHmacKey is null
            ? new Dictionary<string, string> { ["faasdPassword"] = FaasdPassword }
            : new Dictionary<string, string> { ["faasdPassword"] = FaasdPassword, ["acmeEabHmacKey"] = EabHmacKey });

    /// <summary>The certificate the install issues for its domain, through the CA the install was given.</summary>
    public Acme.CertificateIssueRequest Certificate() => Acme.CertificateIssueRequest.Parse([Domain], Email, AcmeDirectory, AcmeDirectoryCa, EabKid, EabHmacKey);

    public static InstallRequest From(StoredRequest r) => new(
        r.Input("domain") ?? "", r.Input("email") ?? "", r.Input("panelType") ?? "faasd", r.Input("profile") ?? "seed",
        string.IsNullOrEmpty(r.Input("downloadMirror")) ? null : new Uri(r.Input("downloadMirror")!),
        r.Secret("faasdPassword") ?? "")
    {
        AcceptEula = r.Input("acceptEula") == "true",
        ConfirmHashes = Artifacts.ConfirmedHashes.ParseInput(r.Input("confirmHash")),
        PasswordGenerated = r.Input("passwordGenerated") == "true",
        VersionsFile = string.IsNullOrEmpty(r.Input("versionsFile")) ? null : r.Input("versionsFile"),
        AcmeDirectory = string.IsNullOrEmpty(r.Input("acmeDirectory")) ? null : r.Input("acmeDirectory"),
        AcmeDirectoryCa = string.IsNullOrEmpty(r.Input("acmeDirectoryCa")) ? null : r.Input("acmeDirectoryCa"),
        EabKid = string.IsNullOrEmpty(r.Input("acmeEabKid")) ? null : r.Input("acmeEabKid"),
        EabHmacKey = r.Secret("acmeEabHmacKey"),
    };
}
