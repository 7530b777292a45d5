using ControlPanel.Engine.Files;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Artifacts;

/// <summary>
/// Hashes the user vouched for, for files that have no official checksum (faasd 0.9.5, the install bundle).
/// Kept in DATA/artifacts/confirmed-hashes in sha256sum format ("HASH  component/version/file"), so a user
/// can also confirm by adding a line; a hash given on the command line (--confirm-hash) is recorded there
/// when it matches a download, so later runs and resumes need no flag.
/// </summary>
public sealed class ConfirmedHashes(string dataDirectory, IEnumerable<string> fromInput)
{
    static readonly MessageTemplate NotSha256 = new("input.not-sha256", "is not a sha256 (64 hex digits)");

    readonly HashSet<string> given = fromInput.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).ToHashSet();

    public string FilePath { get; } = Path.Combine(dataDirectory, "artifacts", "confirmed-hashes");

    public bool IsConfirmed(string id, string sha256)
    {
        if (Recorded().Contains((sha256, id))) return true;
        if (!given.Contains(sha256)) return false;
        Record(id, sha256);
        return true;
    }

    /// <summary>Splits the CLI/web input ("hash1,hash2" or spaces) into hashes; each must be 64 hex digits.</summary>
    public static IReadOnlyList<string> ParseInput(string? value)
    {
        var hashes = (value ?? "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList();
        foreach (var h in hashes)
            if (h.Length != 64 || !h.All(Uri.IsHexDigit))
                throw new InputException("confirmHash", h, NotSha256.Message());
        return hashes;
    }

    HashSet<(string, string)> Recorded()
    {
        var set = new HashSet<(string, string)>();
        if (!File.Exists(FilePath)) return set;
        foreach (var line in File.ReadAllLines(FilePath))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && !line.StartsWith('#')) set.Add((parts[0].ToLowerInvariant(), parts[1].Trim().TrimStart('*')));
        }
        return set;
    }

    void Record(string id, string sha256)
    {
        var existing = File.Exists(FilePath) ? File.ReadAllText(FilePath) : "# sha256 hashes confirmed by the user for files without an official checksum\n";
        AtomicFile.Write(FilePath, existing + $"{sha256}  {id}\n", AtomicFile.Private);
    }
}
