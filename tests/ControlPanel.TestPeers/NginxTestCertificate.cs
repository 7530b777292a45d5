using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ControlPanel.TestPeers;

/// <summary>
/// A self-signed certificate for one domain, written where nginx expects Let's Encrypt's files
/// (ROOT/DOMAIN/fullchain.pem and privkey.pem), and clients that trust exactly it while connecting to loopback.
/// </summary>
public sealed class NginxTestCertificate
{
    NginxTestCertificate(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    public static NginxTestCertificate Write(string certificateRoot, string domain)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(domain);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        var dir = Path.Combine(certificateRoot, domain);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "fullchain.pem"), certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(dir, "privkey.pem"), key.ExportPkcs8PrivateKeyPem() + "\n");
        return new NginxTestCertificate(X509CertificateLoader.LoadCertificate(certificate.RawData));
    }

    /// <summary>A handler that sends every request to 127.0.0.1 (whatever the URL's host) and trusts only the given certificate (none: no TLS), host name checked.</summary>
    public static SocketsHttpHandler LoopbackHandler(NginxTestCertificate? trusted) => new()
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync("127.0.0.1", context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = trusted is null ? (_, _, _, _) => false : trusted.Validate },
    };

    public TlsValidation? LastValidation { get; private set; }

    bool Validate(object sender, X509Certificate? presented, X509Chain? _, SslPolicyErrors errors)
    {
        if (presented is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        var trusted = chain.Build(X509CertificateLoader.LoadCertificate(presented.GetRawCertData()));
        var nameOk = (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        LastValidation = new TlsValidation(trusted, nameOk);
        return trusted && nameOk;
    }
}

public sealed record TlsValidation(bool Trusted, bool NameMatches);
