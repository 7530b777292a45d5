namespace ControlPanel.Engine.Artifacts;

/// <summary>Reads a published checksum file: sha256sum format ("HASH  name" per line) or a bare hash.</summary>
public static class ChecksumFile
{
    public static string? Find(string text, string fileName)
    {
        string? onlyHash = null;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines)
        {
            var parts = line.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !IsSha256(parts[0])) continue;
            if (parts.Length == 1) onlyHash ??= parts[0];
            else if (Path.GetFileName(parts[1].Trim().TrimStart('*')) == fileName) return parts[0].ToLowerInvariant();
        }
        return lines.Length == 1 ? onlyHash?.ToLowerInvariant() : null;
    }

    public static bool IsSha256(string s) => s.Length == 64 && s.All(Uri.IsHexDigit);
}
