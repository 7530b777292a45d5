using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.Engine.Accounts;

/// <summary>
/// One-time codes that stand in for the authenticator when the phone is lost: ten per user, 50 random bits each
/// ("k3f9q-x7m2p"), kept only as SHA-256 hashes (the bits make a slow hash needless), each struck off when used.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static IReadOnlyList<string> New() =>
        Enumerable.Range(0, Count).Select(_ =>
        {
            var chars = RandomNumberGenerator.GetItems<char>(Alphabet, 10);
            return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
        }).ToList();

    /// <summary>The stored form: what was typed without spaces or dashes, in lower case, hashed.</summary>
    public static string Hash(string code)
    {
        var normal = new string(code.Where(c => c is not ('-' or ' ')).Select(char.ToLowerInvariant).ToArray());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normal)));
    }

    /// <summary>The hashes as the user's record keeps them, space-separated.</summary>
    public static string Store(IEnumerable<string> codes) => Join(codes.Select(Hash));

    /// <summary>The unused hashes a stored list holds (none for null: two-factor sign-in is off).</summary>
    public static List<string> Stored(string? stored) => stored?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList() ?? [];

    public static string Join(IEnumerable<string> hashes) => string.Join(' ', hashes);

    /// <summary>An authenticator gives six digits; anything else typed in the code field is tried as a recovery code.</summary>
    public static bool CouldBe(string? typed) =>
        typed is not null && typed.Count(char.IsAsciiLetterOrDigit) == 10 && !typed.Trim().All(char.IsAsciiDigit);
}
