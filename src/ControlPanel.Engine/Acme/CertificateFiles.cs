using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Engine.Hosts;

namespace ControlPanel.Engine.Acme;

/// <summary>A certificate installed on a host, as read back from its files.</summary>
public sealed record InstalledCertificate(X509Certificate2 Leaf, IReadOnlyList<string> Names, bool KeyMatches)
{
    public DateTime NotBefore => Leaf.NotBefore.ToUniversalTime();
    public DateTime NotAfter => Leaf.NotAfter.ToUniversalTime();
}

/// <summary>
/// The four files of certbot's layout (fullchain.pem, privkey.pem 0600, chain.pem, cert.pem) in one directory,
/// default /etc/letsencrypt/live/DOMAIN, the paths panel.sh's nginx config used. Written through the host:
/// atomic, remote-capable, previewable.
/// </summary>
public static class CertificateFiles
{
    public const string LiveRoot = "/etc/letsencrypt/live";

    public static string DefaultDirectory(string domain) => $"{LiveRoot}/{domain}";

    public static string FullChain(string dir) => Path.Combine(dir, "fullchain.pem");
    public static string PrivateKey(string dir) => Path.Combine(dir, "privkey.pem");
    public static string Chain(string dir) => Path.Combine(dir, "chain.pem");
    public static string Cert(string dir) => Path.Combine(dir, "cert.pem");

    /// <summary>The key goes first, so the moment fullchain.pem changes its key is already there.</summary>
    public static async Task<IReadOnlyList<FileChange>> WriteAsync(IHost host, string dir, IssuedCertificate c, CancellationToken ct) =>
    [
        await host.WriteFileAsync(new FileSpec(PrivateKey(dir), c.PrivateKeyPem, "0600", secret: true), ct),
        await host.WriteFileAsync(new FileSpec(Cert(dir), c.CertPem, "0644"), ct),
        await host.WriteFileAsync(new FileSpec(Chain(dir), c.ChainPem, "0644"), ct),
        await host.WriteFileAsync(new FileSpec(FullChain(dir), c.FullChainPem, "0644"), ct),
    ];

    /// <summary>What is installed in the directory, or null when there is no readable certificate.</summary>
    public static async Task<InstalledCertificate?> ReadAsync(IHost host, string dir, CancellationToken ct)
    {
        var pem = await host.ReadFileAsync(FullChain(dir), ct);
        if (pem is null) return null;
        IReadOnlyList<X509Certificate2> chain;
        try { chain = IssuedCertificate.ParseChain(pem); }
        catch (CryptographicException) { return null; }
        if (chain.Count == 0) return null;
        var key = await host.ReadFileAsync(PrivateKey(dir), ct);
        return new InstalledCertificate(chain[0], IssuedCertificate.DnsNames(chain[0]), key is not null && KeyMatches(chain[0], key));
    }

    static bool KeyMatches(X509Certificate2 leaf, string keyPem)
    {
        try
        {
            using var withKey = X509Certificate2.CreateFromPem(leaf.ExportCertificatePem(), keyPem);
            return withKey.HasPrivateKey;
        }
        catch (CryptographicException) { return false; }
        catch (ArgumentException) { return false; }
    }
}
