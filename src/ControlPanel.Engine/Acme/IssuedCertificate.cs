using System.Security.Cryptography.X509Certificates;

namespace ControlPanel.Engine.Acme;

/// <summary>A certificate chain as PEM (leaf first) with its private key: the contents of the four files certbot users know.</summary>
public sealed class IssuedCertificate
{
    public IssuedCertificate(string fullChainPem, string privateKeyPem)
    {
        Chain = ParseChain(fullChainPem);
        if (Chain.Count == 0) throw new AcmeException("the CA's certificate download holds no PEM certificate");
        PrivateKeyPem = privateKeyPem;
    }

    public IReadOnlyList<X509Certificate2> Chain { get; }
    public X509Certificate2 Leaf => Chain[0];
    public string PrivateKeyPem { get; }

    public string CertPem => Chain[0].ExportCertificatePem() + "\n";
    public string ChainPem => string.Concat(Chain.Skip(1).Select(c => c.ExportCertificatePem() + "\n"));
    public string FullChainPem => CertPem + ChainPem;

    public DateTime NotBefore => Leaf.NotBefore.ToUniversalTime();
    public DateTime NotAfter => Leaf.NotAfter.ToUniversalTime();
    public IReadOnlyList<string> Names => DnsNames(Leaf);

    /// <summary>The issuer CN of the topmost certificate: what a preferred chain is matched against (as certbot's --preferred-chain).</summary>
    public string TopIssuer => Chain[^1].GetNameInfo(X509NameType.SimpleName, forIssuer: true);

    public static IReadOnlyList<X509Certificate2> ParseChain(string pem)
    {
        var certs = new X509Certificate2Collection();
        certs.ImportFromPem(pem);
        return certs.Cast<X509Certificate2>().ToList();
    }

    public static IReadOnlyList<string> DnsNames(X509Certificate2 cert) =>
        cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
}
