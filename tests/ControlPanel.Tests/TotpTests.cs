using System.Security.Cryptography;
using System.Text;
using OtpNet;
using Totp = ControlPanel.Web.Auth.Totp;

namespace ControlPanel.Tests;

/// <summary>Our TOTP policy over Otp.NET against the test vectors of RFC 6238 appendix B (8 digits) and RFC 4648 base32.</summary>
public sealed class TotpTests
{
    static readonly byte[] Sha1Key = Encoding.ASCII.GetBytes("12345678901234567890");
    static readonly byte[] Sha256Key = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    static readonly byte[] Sha512Key = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void MatchesRfc6238Vectors(long unixTime, string sha1, string sha256, string sha512)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixTime);
        Assert.Equal(sha1, Totp.Code(Sha1Key, at, 8, HashAlgorithmName.SHA1));
        Assert.Equal(sha256, Totp.Code(Sha256Key, at, 8, HashAlgorithmName.SHA256));
        Assert.Equal(sha512, Totp.Code(Sha512Key, at, 8, HashAlgorithmName.SHA512));
    }

    [Fact]
    public void Verify_AcceptsOneStepOfDrift_NotMore()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        Assert.True(Totp.Verify(Sha1Key, Totp.Code(Sha1Key, now), now));
        Assert.True(Totp.Verify(Sha1Key, Totp.Code(Sha1Key, now.AddSeconds(-30)), now));
        Assert.True(Totp.Verify(Sha1Key, Totp.Code(Sha1Key, now.AddSeconds(30)), now));
        Assert.False(Totp.Verify(Sha1Key, Totp.Code(Sha1Key, now.AddSeconds(-90)), now));
        Assert.False(Totp.Verify(Sha1Key, Totp.Code(Sha1Key, now.AddSeconds(60)), now));
        Assert.False(Totp.Verify(Sha1Key, Totp.Code(Sha1Key, now, 8), now));
        Assert.False(Totp.Verify(Sha1Key, "12345", now));
        Assert.False(Totp.Verify(Sha1Key, null, now));
    }

    [Theory]
    [InlineData("f", "MY======")]
    [InlineData("fo", "MZXQ====")]
    [InlineData("foo", "MZXW6===")]
    [InlineData("foob", "MZXW6YQ=")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI======")]
    public void Base32_MatchesRfc4648_WithOrWithoutPadding(string plain, string encoded)
    {
        Assert.Equal(encoded, Base32Encoding.ToString(Encoding.ASCII.GetBytes(plain)));
        Assert.Equal(plain, Encoding.ASCII.GetString(Base32Encoding.ToBytes(encoded)));
        Assert.Equal(plain, Encoding.ASCII.GetString(Base32Encoding.ToBytes(encoded.TrimEnd('=').ToLowerInvariant())));
    }

    [Fact]
    public void NewSecret_IsUnpaddedBase32Of20Bytes_InTheOtpauthUri()
    {
        var secret = Totp.NewSecret();
        Assert.Matches("^[A-Z2-7]{32}$", secret);
        Assert.Equal(20, Base32Encoding.ToBytes(secret).Length);
        Assert.Equal($"otpauth://totp/ControlPanel:ada%20l?secret={secret}&issuer=ControlPanel&algorithm=SHA1&digits=6&period=30",
            Totp.Uri("ControlPanel", "ada l", secret));
    }
}
