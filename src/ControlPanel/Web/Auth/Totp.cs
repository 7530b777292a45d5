using System.Security.Cryptography;
using OtpNet;

namespace ControlPanel.Web.Auth;

/// <summary>
/// Our two-factor policy over Otp.NET: RFC 6238 codes of 6 digits, HMAC-SHA1 and 30 s steps (what every
/// authenticator app assumes when the otpauth URI names nothing else), 20-byte secrets in unpadded base32.
/// </summary>
public static class Totp
{
    public const int StepSeconds = 30;
    const int Digits = 6;

    // One step either side: a phone's clock may be off by some seconds, and a code typed at the end of its step arrives in the next.
    static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    public static string Code(byte[] key, DateTimeOffset at, int digits = Digits, HashAlgorithmName? algorithm = null) =>
        new OtpNet.Totp(key, StepSeconds, Mode(algorithm ?? HashAlgorithmName.SHA1), digits).ComputeTotp(at.UtcDateTime);

    /// <summary>Accepts the current step and one step either side; Otp.NET compares each candidate in constant time.</summary>
    public static bool Verify(byte[] key, string? code, DateTimeOffset now) =>
        // Otp.NET throws on a null code; anything but six digits cannot match, so it is turned away before any HMAC is computed.
        code is { Length: Digits } && code.All(char.IsAsciiDigit)
        && new OtpNet.Totp(key, StepSeconds, OtpHashMode.Sha1, Digits).VerifyTotp(now.UtcDateTime, code, out _, Drift);

    // 20 bytes encode to 32 base32 characters, so Otp.NET's encoder adds no padding, which some apps refuse.
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    /// <summary>The otpauth:// URI authenticator apps import.</summary>
    public static string Uri(string issuer, string user, string secret) =>
        new OtpUri(OtpType.Totp, secret, user, issuer, OtpHashMode.Sha1, Digits, StepSeconds).ToString();

    static OtpHashMode Mode(HashAlgorithmName algorithm) => algorithm.Name switch
    {
        "SHA256" => OtpHashMode.Sha256,
        "SHA512" => OtpHashMode.Sha512,
        _ => OtpHashMode.Sha1,
    };
}
