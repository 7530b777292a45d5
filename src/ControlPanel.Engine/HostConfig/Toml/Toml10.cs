using System.Text.RegularExpressions;
using Tomlyn.Syntax;

namespace ControlPanel.Engine.HostConfig.Toml;

/// <summary>
/// Refuses what TOML 1.1 added over 1.0: newlines and a trailing comma in inline tables, the \e and \xHH escapes,
/// and times without seconds. Tomlyn reads 1.1 only; containerd reads its files with a TOML 1.0 parser (go-toml:
/// containerd 1.6 fails to load all of these but the newlines), so a file holding one is refused with its place, as
/// a 1.0 reader would, before we edit it and restart containerd.
/// </summary>
static partial class Toml10
{
    const string Why = "TOML 1.1, and containerd reads TOML 1.0";

    public static void Check(string text, DocumentSyntax doc)
    {
        foreach (var node in doc.Descendants())
        {
            switch (node)
            {
                case InlineTableSyntax table:
                    CheckInlineTable(text, table);
                    break;
                case StringValueSyntax { Token: { TokenKind: TokenKind.String or TokenKind.StringMulti } token }:
                    var raw = token.Text!;
                    for (var i = 0; i < raw.Length - 1; i++)
                    {
                        if (raw[i] != '\\') continue;
                        if (raw[i + 1] is 'e' or 'x') throw Refuse(text, token.Span.Start.Offset + i, $"escape \\{raw[i + 1]}");
                        i++;
                    }
                    break;
                case DateTimeValueSyntax { Token: { } token } when TimeWithoutSeconds().Match(token.Text!) is { Success: true } time:
                    throw Refuse(text, token.Span.Start.Offset + time.Index, "a time without seconds");
            }
        }
    }

    static void CheckInlineTable(string text, InlineTableSyntax table)
    {
        if (table.Items.LastOrDefault()?.Comma is { } comma) throw Refuse(text, comma.Span.Start.Offset, "a trailing comma in an inline table");
        // Arrays inside the table may span lines; an inline table inside one of them is checked on its own.
        var arrays = table.Descendants().OfType<ArraySyntax>().Select(a => a.Span).ToList();
        var newline = table.Tokens().FirstOrDefault(t =>
            t is SyntaxTrivia { Kind: TokenKind.NewLine or TokenKind.Comment } or SyntaxToken { TokenKind: TokenKind.NewLine }
            && !arrays.Any(a => a.Start.Offset < t.Span.Start.Offset && t.Span.Start.Offset < a.End.Offset));
        if (newline is not null) throw Refuse(text, newline.Span.Start.Offset, "a line break in an inline table");
    }

    static ConfigSyntaxException Refuse(string text, int offset, string what) => ConfigSyntaxException.At(text, offset, $"{what} is {Why}");

    // A time starts the value or follows the date; an offset such as -07:00 follows neither.
    [GeneratedRegex("(?<=^|[Tt ])[0-9]{2}:[0-9]{2}(?![:0-9])")]
    private static partial Regex TimeWithoutSeconds();
}
