using Tomlyn.Helpers;
using Tomlyn.Model;
using Tomlyn.Syntax;

namespace ControlPanel.Engine.HostConfig.Toml;

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

    internal static TomlValue From(string text, ValueSyntax value)
    {
        var source = text[value.Span.Start.Offset..(value.Span.End.Offset + 1)];
        return value switch
        {
            StringValueSyntax s => new(TomlKind.String, source) { String = s.Value },
            IntegerValueSyntax i => new(TomlKind.Integer, source) { Integer = i.Value },
            BooleanValueSyntax b => new(TomlKind.Bool, source) { Bool = b.Value },
            FloatValueSyntax => new(TomlKind.Float, source),
            DateTimeValueSyntax => new(TomlKind.DateTime, source),
            ArraySyntax a => new(TomlKind.Array, source) { Items = a.Items.Select(item => From(text, item.Value!)).ToList() },
            InlineTableSyntax => new(TomlKind.InlineTable, source),
            _ => throw new InvalidOperationException($"unexpected value syntax {value.Kind}"),
        };
    }

    /// <summary>A basic string literal, escaped by Tomlyn (named escapes and \uXXXX only, which TOML 1.0 readers take too).</summary>
    public static string Quote(string value) => TomlFormatHelper.ToString(value, TomlPropertyDisplayKind.Default);

    public static string StringArray(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";
}

/// <summary>Key segments as TOML writes them: bare when they can be, quoted otherwise.</summary>
public static class TomlKey
{
    public static string Format(string segment) => BareKeySyntax.IsBareKey(segment) ? segment : TomlValue.Quote(segment);

    public static string Format(IEnumerable<string> path) => string.Join('.', path.Select(Format));
}
