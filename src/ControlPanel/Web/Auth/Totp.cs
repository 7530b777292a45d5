using System.Security.Cryptography;

namespace ControlPanel.Web.Auth;

/// <summary>RFC 6238 time-based one-time passwords (HMAC-SHA1, 30 s steps, 6 digits), our own code: no OTP package is served here.</summary>
public static class Totp
{
    public const int StepSeconds = 30;

    public static string Code(byte[] key, DateTimeOffset at, int digits = 6, HashAlgorithmName? algorithm = null) =>
        Code(key, at.ToUnixTimeSeconds() / StepSeconds, digits, algorithm ?? HashAlgorithmName.SHA1);

    /// <summary>RFC 4226 HOTP of a counter, truncated dynamically to the given number of digits.</summary>
    public static string Code(byte[] key, long counter, int digits, HashAlgorithmName algorithm)
    {
        var message = new byte[8];
        for (var i = 7; i >= 0; i--, counter >>= 8) message[i] = (byte)(counter & 0xff);
        var hash = algorithm.Name switch
        {
            "SHA256" => HMACSHA256.HashData(key, message),
            "SHA512" => HMACSHA512.HashData(key, message),
            _ => HMACSHA1.HashData(key, message),
        };
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % (int)Math.Pow(10, digits)).ToString().PadLeft(digits, '0');
    }

    /// <summary>Accepts the current step and one step either side (clock drift), compared in constant time.</summary>
    public static bool Verify(byte[] key, string? code, DateTimeOffset now)
    {
        if (code is null || code.Length != 6 || !code.All(char.IsAsciiDigit)) return false;
        var step = now.ToUnixTimeSeconds() / StepSeconds;
        var ok = false;
        for (var d = -1; d <= 1; d++)
            ok |= CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(Code(key, step + d, 6, HashAlgorithmName.SHA1)), System.Text.Encoding.ASCII.GetBytes(code));
        return ok;
    }

    public static string NewSecret() => Base32.Encode(RandomNumberGenerator.GetBytes(20));

    /// <summary>The otpauth:// URI authenticator apps import.</summary>
    public static string Uri(string issuer, string user, string secret) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(user)}?secret={secret}&issuer={System.Uri.EscapeDataString(issuer)}";
}

/// <summary>RFC 4648 base32 without padding, as authenticator apps use for secrets.</summary>
public static class Base32
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(byte[] data)
    {
        var sb = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5) { sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5; }
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    public static byte[] Decode(string text)
    {
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('=').ToUpperInvariant())
        {
            var v = Alphabet.IndexOf(c);
            if (v < 0) throw new FormatException($"'{c}' is not a base32 character");
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) { output.Add((byte)((buffer >> (bits - 8)) & 0xff)); bits -= 8; }
        }
        return output.ToArray();
    }
}
