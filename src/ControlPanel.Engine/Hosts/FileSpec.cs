using System.Text.RegularExpressions;

namespace ControlPanel.Engine.Hosts;

/// <summary>A file the engine wants on the host: its whole content, mode (octal text such as "0644") and owner.</summary>
public sealed partial record FileSpec
{
    public FileSpec(string path, string content, string mode, string owner = "root:root", bool secret = false)
    {
        if (!path.StartsWith('/') || path.Contains('\0') || path.Contains("/../") || path.EndsWith('/'))
            throw new ArgumentException($"file path must be absolute and plain: {path}", nameof(path));
        if (!ModePattern().IsMatch(mode))
            throw new ArgumentException($"mode must be octal like 0644: {mode}", nameof(mode));
        if (!OwnerPattern().IsMatch(owner))
            throw new ArgumentException($"owner must be user:group: {owner}", nameof(owner));
        Path = path;
        Content = content;
        Mode = NormalizeMode(mode);
        Owner = owner;
        Secret = secret;
    }

    public string Path { get; }
    public string Content { get; }
    public string Mode { get; }
    public string Owner { get; }
    /// <summary>Secret files never show their content in a diff or a log.</summary>
    public bool Secret { get; }

    /// <summary>"644", "0644" and "00644" all mean the same mode; compare them as four digits.</summary>
    public static string NormalizeMode(string mode) => mode.TrimStart('0').PadLeft(4, '0');

    [GeneratedRegex("^0?[0-7]{3,4}$")] private static partial Regex ModePattern();
    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}:[a-z_][a-z0-9_-]{0,31}$")] private static partial Regex OwnerPattern();
}

public sealed record FileStat(string Mode, string Owner);
