using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Acme;

/// <summary>The key of an issued certificate: a fresh one per issuance, ECDSA P-256 (default) or RSA 2048.</summary>
public static class CertificateKeyType
{
    public const string Ec = "ec";
    public const string Rsa = "rsa";

    public static string Parse(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Ec : Inputs.RequireOneOf(field, value, Ec, Rsa);

    /// <summary>A new key and a DER CSR for the names (first one is the subject CN, all are SANs).</summary>
    public static (AsymmetricAlgorithm Key, byte[] Csr) CreateCsr(string keyType, IReadOnlyList<string> domains)
    {
        var subject = new X500DistinguishedName("CN=" + domains[0]);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var d in domains) san.AddDnsName(d);
        if (keyType == Rsa)
        {
            var rsa = RSA.Create(2048);
            var req = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(san.Build());
            return (rsa, req.CreateSigningRequest());
        }
        var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecReq = new CertificateRequest(subject, ec, HashAlgorithmName.SHA256);
        ecReq.CertificateExtensions.Add(san.Build());
        return (ec, ecReq.CreateSigningRequest());
    }
}
