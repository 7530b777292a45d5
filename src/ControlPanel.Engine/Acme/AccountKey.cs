using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ControlPanel.Engine.Acme;

/// <summary>An ACME account key: ECDSA P-256, signing ES256 (RFC 7518 section 3.4).</summary>
public sealed class AccountKey : IDisposable
{
    readonly ECDsa key;

    public AccountKey(ECDsa key)
    {
        if (key.KeySize != 256) throw new ArgumentException("account keys are P-256", nameof(key));
        this.key = key;
        var p = key.ExportParameters(false);
        X = Base64UrlText.Encode(p.Q.X!);
        Y = Base64UrlText.Encode(p.Q.Y!);
        // RFC 7638: the thumbprint hashes the required members in lexicographic order, no whitespace.
        Thumbprint = Base64UrlText.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{X}}","y":"{{Y}}"}""")));
    }

    public static AccountKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static AccountKey FromPkcs8(byte[] pkcs8)
    {
        var k = ECDsa.Create();
        k.ImportPkcs8PrivateKey(pkcs8, out _);
        return new AccountKey(k);
    }

    public string X { get; }
    public string Y { get; }
    public string Thumbprint { get; }
    public const string Algorithm = "ES256";

    public JsonObject Jwk() => new() { ["crv"] = "P-256", ["kty"] = "EC", ["x"] = X, ["y"] = Y };

    public byte[] ExportPkcs8() => key.ExportPkcs8PrivateKey();

    /// <summary>JWS ES256 wants R||S (IEEE P1363), which is .NET's default signature format for ECDsa.</summary>
    public byte[] Sign(byte[] data) => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose() => key.Dispose();
}
