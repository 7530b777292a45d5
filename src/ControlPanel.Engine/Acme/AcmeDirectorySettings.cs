using System.Security.Cryptography.X509Certificates;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Acme;

/// <summary>Which ACME CA to talk to: a preset name or an https directory URL, plus an optional PEM bundle trusted for its TLS.</summary>
public sealed record AcmeDirectorySettings(Uri Url, string? CaBundleFile)
{
    static readonly MessageTemplate HttpsOrPreset = new("input.acme-directory", "must be https:// or one of: {choices}");
    static readonly MessageTemplate NoPem = new("input.no-pem-certificate", "holds no PEM certificate");

    public static readonly IReadOnlyDictionary<string, Uri> Presets = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase)
    {
        ["letsencrypt"] = new("https://acme-v02.api.letsencrypt.org/directory"),
        ["letsencrypt-staging"] = new("https://acme-staging-v02.api.letsencrypt.org/directory"),
        ["zerossl"] = new("https://acme.zerossl.com/v2/DV90"),
    };

    public const string DefaultPreset = "letsencrypt";

    /// <summary>Validates the user's choice; the CA bundle must be a readable PEM file with at least one certificate.</summary>
    public static AcmeDirectorySettings Parse(string directoryField, string? directory, string caField, string? caBundleFile)
    {
        var value = string.IsNullOrWhiteSpace(directory) ? DefaultPreset : directory.Trim();
        Uri url;
        if (Presets.TryGetValue(value, out var preset)) url = preset;
        else
        {
            url = Inputs.RequireHttpUrl(directoryField, value);
            if (url.Scheme != "https")
                throw new InputException(directoryField, value, HttpsOrPreset.With(("choices", string.Join(", ", Presets.Keys))));
        }
        string? ca = null;
        if (!string.IsNullOrWhiteSpace(caBundleFile))
        {
            ca = Path.GetFullPath(caBundleFile.Trim());
            if (!File.Exists(ca)) throw new InputException(caField, caBundleFile, InputReasons.DoesNotExist.Message());
            if (LoadBundle(ca).Count == 0) throw new InputException(caField, caBundleFile, NoPem.Message());
        }
        return new AcmeDirectorySettings(url, ca);
    }

    public static X509Certificate2Collection LoadBundle(string file)
    {
        var certs = new X509Certificate2Collection();
        try { certs.ImportFromPemFile(file); }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException) { certs.Clear(); }
        return certs;
    }

    /// <summary>The short name users know for a preset, else the URL.</summary>
    public string Display => Presets.FirstOrDefault(p => p.Value == Url).Key ?? Url.ToString();
}
