using System.Text;

namespace ControlPanel.Engine.Registry.Toml;

public enum TomlKind { String, Integer, Float, Bool, DateTime, Array, InlineTable }

/// <summary>A parsed value: its kind, its source text, and the decoded string, number, flag or items where that applies.</summary>
public sealed record TomlValue(TomlKind Kind, string Text)
{
    public string? String { get; init; }
    public long? Integer { get; init; }
    public bool? Bool { get; init; }
    public IReadOnlyList<TomlValue> Items { get; init; } = [];

    /// <summary>The strings of an array of strings (other items are skipped).</summary>
    public IReadOnlyList<string> Strings => Items.Where(i => i.String is not null).Select(i => i.String!).ToList();

    /// <summary>A basic string literal: quotes and backslashes escaped, control characters as \uXXXX.</summary>
    public static string Quote(string value)
    {
        var b = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c == '"' || c == '\\') b.Append('\\').Append(c);
            else if (char.IsControl(c)) b.Append($"\\u{(int)c:X4}");
            else b.Append(c);
        }
        return b.Append('"').ToString();
    }

    public static string StringArray(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";
}

/// <summary>Key segments as TOML writes them: bare when they can be, quoted otherwise.</summary>
public static class TomlKey
{
    public static bool IsBare(string segment) => segment.Length > 0 && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    public static string Format(string segment) => IsBare(segment) ? segment : TomlValue.Quote(segment);

    public static string Format(IEnumerable<string> path) => string.Join('.', path.Select(Format));
}
