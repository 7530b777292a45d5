using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ControlPanel.Engine.Registry.Toml;

/// <summary>
/// A TOML 1.0 reader for configuration files (containerd's config.toml, hosts.toml): tables and array tables with
/// dotted and quoted names, dotted keys, all string forms, integers, floats, booleans, dates (kept as text), arrays
/// and inline tables. It records positions for <see cref="TomlDocument"/> and rejects what is not TOML, duplicate
/// keys and tables included, with the line and column.
/// </summary>
sealed partial class TomlParser(string text)
{
    int pos;
    readonly List<TomlTable> tables = new();
    readonly List<TomlEntry> entries = new();
    readonly HashSet<string> definedTables = new(StringComparer.Ordinal);
    readonly HashSet<string> definedKeys = new(StringComparer.Ordinal);

    public TomlDocument Parse()
    {
        IReadOnlyList<string> tablePath = [];
        var tableIndex = -1;
        while (pos < text.Length)
        {
            var lineStart = pos;
            SkipSpaces();
            if (AtLineEnd()) { EndLine(); continue; }
            if (text[pos] == '[')
            {
                if (tableIndex >= 0) tables[tableIndex] = tables[tableIndex] with { BodyEnd = lineStart };
                var isArray = pos + 1 < text.Length && text[pos + 1] == '[';
                pos += isArray ? 2 : 1;
                SkipSpaces();
                tablePath = ParseKey();
                SkipSpaces();
                Expect(isArray ? "]]" : "]", "expected ] to close the table name");
                var name = Join(tablePath);
                if (!isArray && !definedTables.Add(name)) throw Error($"table [{TomlKey.Format(tablePath)}] is defined twice");
                if (definedKeys.Contains(name)) throw Error($"table [{TomlKey.Format(tablePath)}] was already defined as a key");
                SkipSpaces();
                EndLine();
                tables.Add(new TomlTable(tablePath, isArray, lineStart, pos, text.Length));
                tableIndex = tables.Count - 1;
                continue;
            }
            var key = ParseKey();
            SkipSpaces();
            Expect("=", "expected = after the key");
            SkipSpaces();
            var valueStart = pos;
            var value = ParseValue();
            var valueEnd = pos;
            SkipSpaces();
            EndLine();
            var path = tablePath.Concat(key).ToArray();
            var scope = tableIndex >= 0 && tables[tableIndex].IsArray ? tableIndex + ":" : "";
            if (!definedKeys.Add(scope + Join(path)) || definedTables.Contains(Join(path)))
                throw Error($"key {TomlKey.Format(path)} is defined twice", valueStart);
            entries.Add(new TomlEntry(path, tableIndex, lineStart, valueStart, valueEnd, pos, value));
        }
        return new TomlDocument(text, tables, entries);
    }

    static string Join(IEnumerable<string> path) => string.Join('\u0001', path);

    List<string> ParseKey()
    {
        var segments = new List<string>();
        while (true)
        {
            if (pos >= text.Length) throw Error("expected a key");
            segments.Add(text[pos] switch
            {
                '"' => ParseBasicString(),
                '\'' => ParseLiteralString(),
                _ => ParseBareKey(),
            });
            SkipSpaces();
            if (pos < text.Length && text[pos] == '.') { pos++; SkipSpaces(); continue; }
            return segments;
        }
    }

    string ParseBareKey()
    {
        var start = pos;
        while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is '_' or '-')) pos++;
        if (pos == start) throw Error($"unexpected character '{text[pos]}' where a key was expected");
        return text[start..pos];
    }

    TomlValue ParseValue()
    {
        if (pos >= text.Length) throw Error("expected a value");
        var start = pos;
        switch (text[pos])
        {
            case '"':
            {
                var s = Starts("\"\"\"") ? ParseMultilineBasicString() : ParseBasicString();
                return new TomlValue(TomlKind.String, text[start..pos]) { String = s };
            }
            case '\'':
            {
                var s = Starts("'''") ? ParseMultilineLiteralString() : ParseLiteralString();
                return new TomlValue(TomlKind.String, text[start..pos]) { String = s };
            }
            case '[': return ParseArray(start);
            case '{': return ParseInlineTable(start);
        }
        if (Starts("true") && IsDelimiter(pos + 4)) { pos += 4; return new TomlValue(TomlKind.Bool, "true") { Bool = true }; }
        if (Starts("false") && IsDelimiter(pos + 5)) { pos += 5; return new TomlValue(TomlKind.Bool, "false") { Bool = false }; }

        while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is '_' or ':' or '.' or '+' or '-')) pos++;
        // A date-time may separate its date and time with a space.
        if (pos + 1 < text.Length && text[pos] == ' ' && char.IsAsciiDigit(text[pos + 1]) && Date().IsMatch(text[start..pos]))
        {
            pos++;
            while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is ':' or '.' or '+' or '-')) pos++;
        }
        var token = text[start..pos];
        if (Integer().IsMatch(token))
        {
            var digits = token.Replace("_", "");
            long? number = digits.Length > 2 && digits[0] == '0' && digits[1] is 'x' or 'o' or 'b'
                ? Convert.ToInt64(digits[2..], digits[1] switch { 'x' => 16, 'o' => 8, _ => 2 })
                : long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Error("integer out of range", start);
            return new TomlValue(TomlKind.Integer, token) { Integer = number };
        }
        if (Float().IsMatch(token)) return new TomlValue(TomlKind.Float, token);
        if (DateTime().IsMatch(token)) return new TomlValue(TomlKind.DateTime, token);
        throw Error(token.Length == 0 ? $"unexpected character '{text[pos]}' where a value was expected" : $"\"{token}\" is not a valid value", start);
    }

    TomlValue ParseArray(int start)
    {
        pos++;
        var items = new List<TomlValue>();
        while (true)
        {
            SkipBlank();
            if (pos < text.Length && text[pos] == ']') break;
            items.Add(ParseValue());
            SkipBlank();
            if (pos < text.Length && text[pos] == ',') { pos++; continue; }
            if (pos < text.Length && text[pos] == ']') break;
            throw Error("expected , or ] in the array");
        }
        pos++;
        return new TomlValue(TomlKind.Array, text[start..pos]) { Items = items };
    }

    TomlValue ParseInlineTable(int start)
    {
        pos++;
        SkipSpaces();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (pos < text.Length && text[pos] == '}') { pos++; return new TomlValue(TomlKind.InlineTable, text[start..pos]); }
        while (true)
        {
            SkipSpaces();
            var keyAt = pos;
            if (!keys.Add(Join(ParseKey()))) throw Error("key defined twice in the inline table", keyAt);
            SkipSpaces();
            Expect("=", "expected = after the key");
            SkipSpaces();
            ParseValue();
            SkipSpaces();
            if (pos < text.Length && text[pos] == ',') { pos++; continue; }
            Expect("}", "expected , or } in the inline table");
            return new TomlValue(TomlKind.InlineTable, text[start..pos]);
        }
    }

    string ParseBasicString()
    {
        pos++;
        var b = new StringBuilder();
        while (true)
        {
            if (pos >= text.Length || text[pos] == '\n') throw Error("unterminated string");
            var c = text[pos++];
            if (c == '"') return b.ToString();
            if (c == '\\') ParseEscape(b);
            else if (char.IsControl(c) && c != '\t') throw Error("control character in a string", pos - 1);
            else b.Append(c);
        }
    }

    string ParseMultilineBasicString()
    {
        pos += 3;
        if (Starts("\r\n")) pos += 2; else if (Starts("\n")) pos++;
        var b = new StringBuilder();
        while (true)
        {
            if (pos >= text.Length) throw Error("unterminated multi-line string");
            if (Starts("\"\"\""))
            {
                // Up to two quotes may end the content right before the closing delimiter.
                var extra = 0;
                while (extra < 2 && pos + 3 + extra < text.Length && text[pos + 3 + extra] == '"') extra++;
                b.Append('"', extra);
                pos += 3 + extra;
                return b.ToString();
            }
            var c = text[pos++];
            if (c != '\\') { b.Append(c); continue; }
            // A backslash at the end of a line trims the newline and the whitespace after it.
            var look = pos;
            while (look < text.Length && text[look] is ' ' or '\t') look++;
            if (look < text.Length && text[look] is '\n' or '\r')
            {
                pos = look;
                while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
                continue;
            }
            ParseEscape(b);
        }
    }

    void ParseEscape(StringBuilder b)
    {
        if (pos >= text.Length) throw Error("unterminated string");
        var e = text[pos++];
        switch (e)
        {
            case 'b': b.Append('\b'); break;
            case 't': b.Append('\t'); break;
            case 'n': b.Append('\n'); break;
            case 'f': b.Append('\f'); break;
            case 'r': b.Append('\r'); break;
            case '"': b.Append('"'); break;
            case '\\': b.Append('\\'); break;
            case 'u' or 'U':
                var length = e == 'u' ? 4 : 8;
                if (pos + length > text.Length || !int.TryParse(text.AsSpan(pos, length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)
                    || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                    throw Error("invalid unicode escape", pos - 2);
                b.Append(char.ConvertFromUtf32(code));
                pos += length;
                break;
            default: throw Error($"invalid escape \\{e}", pos - 2);
        }
    }

    string ParseLiteralString()
    {
        var start = ++pos;
        while (pos < text.Length && text[pos] != '\'' && text[pos] != '\n') pos++;
        if (pos >= text.Length || text[pos] != '\'') throw Error("unterminated string", start - 1);
        return text[start..pos++];
    }

    string ParseMultilineLiteralString()
    {
        pos += 3;
        if (Starts("\r\n")) pos += 2; else if (Starts("\n")) pos++;
        var end = text.IndexOf("'''", pos, StringComparison.Ordinal);
        if (end < 0) throw Error("unterminated multi-line string");
        while (end + 3 < text.Length && text[end + 3] == '\'' && end + 3 - pos >= 0) end++;
        var s = text[pos..end];
        pos = end + 3;
        return s;
    }

    void SkipSpaces()
    {
        while (pos < text.Length && text[pos] is ' ' or '\t') pos++;
    }

    /// <summary>Whitespace, newlines and comments: what may separate array items.</summary>
    void SkipBlank()
    {
        while (pos < text.Length)
        {
            if (text[pos] is ' ' or '\t' or '\n' or '\r') pos++;
            else if (text[pos] == '#') SkipComment();
            else return;
        }
    }

    void SkipComment()
    {
        while (pos < text.Length && text[pos] != '\n')
        {
            if (char.IsControl(text[pos]) && text[pos] is not '\t' and not '\r') throw Error("control character in a comment");
            pos++;
        }
    }

    bool AtLineEnd() => pos >= text.Length || text[pos] is '\n' or '#' || Starts("\r\n");

    /// <summary>Only a comment may follow on the line.</summary>
    void EndLine()
    {
        if (pos < text.Length && text[pos] == '#') SkipComment();
        if (pos >= text.Length) return;
        if (Starts("\r\n")) pos += 2;
        else if (text[pos] == '\n') pos++;
        else throw Error($"unexpected '{text[pos]}': expected the end of the line");
    }

    void Expect(string token, string reason)
    {
        if (!Starts(token)) throw Error(reason);
        pos += token.Length;
    }

    bool Starts(string s) => string.CompareOrdinal(text, pos, s, 0, s.Length) == 0;

    bool IsDelimiter(int at) => at >= text.Length || text[at] is ' ' or '\t' or '\r' or '\n' or ',' or ']' or '}' or '#';

    ConfigSyntaxException Error(string reason, int? at = null)
    {
        var p = Math.Min(at ?? pos, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < p; i++)
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        return new ConfigSyntaxException(line, p - lineStart + 1, reason);
    }

    [GeneratedRegex(@"^([+-]?(0|[1-9](_?[0-9])*)|0x[0-9A-Fa-f](_?[0-9A-Fa-f])*|0o[0-7](_?[0-7])*|0b[01](_?[01])*)$")]
    private static partial Regex Integer();
    [GeneratedRegex(@"^([+-]?(0|[1-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9](_?[0-9])*)?|[+-]?(inf|nan))$")]
    private static partial Regex Float();
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex Date();
    [GeneratedRegex(@"^([0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?|[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?)$")]
    private static partial Regex DateTime();
}
