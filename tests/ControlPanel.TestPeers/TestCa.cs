using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ControlPanel.TestPeers;

/// <summary>
/// A throw-away CA and a server certificate for localhost / 127.0.0.1 / ::1 it signed, written as PEM into a
/// directory: what a loopback TLS server (pebble) needs, and what its clients trust (<see cref="CaFile"/>).
/// </summary>
public sealed class TestCa
{
    public string CaFile { get; }
    public string CertFile { get; }
    public string KeyFile { get; }
    public X509Certificate2 Root { get; }

    TestCa(string dir, X509Certificate2 root)
    {
        Root = root;
        CaFile = Path.Combine(dir, "test-ca.pem");
        CertFile = Path.Combine(dir, "localhost-cert.pem");
        KeyFile = Path.Combine(dir, "localhost-key.pem");
    }

    public static TestCa Create(string dir)
    {
        Directory.CreateDirectory(dir);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest($"CN=ControlPanel Test CA {Guid.NewGuid():N}", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caReq.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caReq.PublicKey, false));
        var root = caReq.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafReq = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        leafReq.CertificateExtensions.Add(san.Build());
        leafReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafReq.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var leaf = leafReq.Create(root, now.AddMinutes(-5), now.AddDays(7), RandomNumberGenerator.GetBytes(16));

        var ca = new TestCa(dir, root);
        File.WriteAllText(ca.CaFile, root.ExportCertificatePem() + "\n");
        File.WriteAllText(ca.CertFile, leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(ca.KeyFile, leafKey.ExportPkcs8PrivateKeyPem() + "\n");
        return ca;
    }

    /// <summary>An HttpClient that trusts only this CA (host names still checked).</summary>
    public HttpClient CreateHttpClient()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Root);
        return new HttpClient(new SocketsHttpHandler { SslOptions = new() { CertificateChainPolicy = policy } }) { Timeout = TimeSpan.FromSeconds(30) };
    }
}
