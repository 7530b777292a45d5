using System.Text.RegularExpressions;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace ControlPanel.Engine.HostConfig.Toml;

/// <summary>A table header: its key path, whether it is [[an array]] entry, and where its line and body are in the text.</summary>
public sealed record TomlTable(IReadOnlyList<string> Path, bool IsArray, int LineStart, int BodyStart, int BodyEnd);

/// <summary>A key = value line: the key's full path (table path + dotted key), and the spans of the line and of the value.</summary>
public sealed record TomlEntry(IReadOnlyList<string> Path, int TableIndex, int LineStart, int ValueStart, int ValueEnd, int LineEnd, TomlValue Value);

/// <summary>
/// The parts of a TOML file that edits need: every table header and every key, with positions in the text, read
/// from Tomlyn's syntax tree. Edits splice the text, so everything else stays byte for byte as it was (comments,
/// order, indentation); the edited text is parsed again before it is returned.
/// </summary>
public sealed partial class TomlDocument
{
    public string Text { get; }
    public IReadOnlyList<TomlTable> Tables { get; }
    public IReadOnlyList<TomlEntry> Entries { get; }

    TomlDocument(string text, List<TomlTable> tables, List<TomlEntry> entries)
    {
        Text = text;
        Tables = tables;
        Entries = entries;
    }

    /// <summary>
    /// Parses the text; throws <see cref="ConfigSyntaxException"/> with line and column when it is not valid TOML 1.0
    /// (duplicate keys and tables included).
    /// </summary>
    public static TomlDocument Parse(string text)
    {
        var syntax = SyntaxParser.Parse(text);
        if (syntax.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error) is { } error)
            throw error.Span.Start.Offset < 0
                ? ConfigSyntaxException.At(text, text.Length, Reason(error.Message))
                : new ConfigSyntaxException(error.Span.Start.Line + 1, error.Span.Start.Column + 1, Reason(error.Message));
        Toml10.Check(text, syntax);

        var tables = new List<TomlTable>();
        var entries = new List<TomlEntry>();
        AddEntries(text, syntax.KeyValues, [], -1, entries);
        foreach (var table in syntax.Tables)
        {
            var path = KeyPath(table.Name!);
            var lineStart = LineStart(text, table.Span.Start.Offset);
            if (tables.Count > 0) tables[^1] = tables[^1] with { BodyEnd = lineStart };
            tables.Add(new TomlTable(path, table is TableArraySyntax, lineStart, LineEnd(text, table.CloseBracket!.Span.End.Offset + 1), text.Length));
            AddEntries(text, table.Items, path, tables.Count - 1, entries);
        }
        return new TomlDocument(text, tables, entries);
    }

    static void AddEntries(string text, SyntaxList<KeyValueSyntax> items, IReadOnlyList<string> tablePath, int tableIndex, List<TomlEntry> entries)
    {
        foreach (var item in items)
        {
            var value = item.Value!;
            var (valueStart, valueEnd) = (value.Span.Start.Offset, value.Span.End.Offset + 1);
            entries.Add(new TomlEntry([.. tablePath, .. KeyPath(item.Key!)], tableIndex, LineStart(text, item.Span.Start.Offset),
                valueStart, valueEnd, LineEnd(text, valueEnd), TomlValue.From(text, value)));
        }
    }

    static IReadOnlyList<string> KeyPath(KeySyntax key) => [Segment(key.Key!), .. key.DotKeys.Select(d => Segment(d.Key!))];

    static string Segment(BareKeyOrStringValueSyntax segment) => segment switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => throw new InvalidOperationException($"unexpected key syntax {segment.Kind}"),
    };

    static int LineStart(string text, int at) => at == 0 ? 0 : text.LastIndexOf('\n', at - 1) + 1;

    /// <summary>Just past the end of the line <paramref name="at"/> is on: after a value or a header only a comment may follow there.</summary>
    static int LineEnd(string text, int at) => text.IndexOf('\n', at) is var newline and >= 0 ? newline + 1 : text.Length;

    // Tomlyn quotes the whole first definition in a redefinition error: for a table that is every line of it.
    static string Reason(string message) => FirstDefinition().Replace(message, " ");

    [GeneratedRegex(" with `.*` (?=and cannot be redefined$)", RegexOptions.Singleline)]
    private static partial Regex FirstDefinition();

    public TomlEntry? Find(params string[] path) => Entries.FirstOrDefault(e => SamePath(e.Path, path));

    public TomlValue? Get(params string[] path) => Find(path)?.Value;

    /// <summary>Entries directly or deeper under a table path (e.g. every mirror under registry.mirrors).</summary>
    public IEnumerable<TomlEntry> Under(params string[] prefix) => Entries.Where(e => e.Path.Count > prefix.Length && StartsWith(e.Path, prefix));

    /// <summary>Sets the value at <paramref name="path"/> (table path + key) to <paramref name="valueText"/>, a TOML value as text.</summary>
    public string Set(IReadOnlyList<string> path, string valueText)
    {
        if (Find([.. path]) is { } existing)
            return Reparse(Text[..existing.ValueStart] + valueText + Text[existing.ValueEnd..]);

        var tablePath = path.Take(path.Count - 1).ToArray();
        var line = TomlKey.Format(path[^1]) + " = " + valueText + "\n";
        var table = Tables.Select((t, i) => (t, i)).FirstOrDefault(x => !x.t.IsArray && SamePath(x.t.Path, tablePath));
        if (table.t is not null)
        {
            var own = Entries.Where(e => e.TableIndex == table.i).ToList();
            var at = own.Count > 0 ? own[^1].LineEnd : table.t.BodyStart;
            var indent = own.Count > 0 ? IndentAt(own[^1].LineStart) : IndentAt(table.t.LineStart) + "  ";
            return Reparse(EnsureNewlineBefore(at) + indent + line + Text[at..]);
        }

        // A new [table]: before its first sub-table if it has one (TOML allows defining a parent after a child), else at the end.
        var header = "[" + string.Join('.', tablePath.Select(TomlKey.Format)) + "]\n";
        var child = Tables.FirstOrDefault(t => t.Path.Count > tablePath.Length && StartsWith(t.Path, tablePath));
        if (child is not null)
        {
            var indent = IndentAt(child.LineStart);
            return Reparse(Text[..child.LineStart] + indent + header + indent + "  " + line + "\n" + Text[child.LineStart..]);
        }
        var body = Text.Length == 0 || Text.EndsWith('\n') ? Text : Text + "\n";
        return Reparse(body + (body.Length == 0 ? "" : "\n") + header + "  " + line);
    }

    /// <summary>
    /// Removes the key at <paramref name="path"/>; its [table] header goes too when nothing else is left in its body
    /// (no keys, no comments); sub-tables still define it implicitly.
    /// </summary>
    public string Remove(IReadOnlyList<string> path)
    {
        var entry = Find([.. path]);
        if (entry is null) return Text;
        var text = Text[..entry.LineStart] + Text[entry.LineEnd..];
        if (entry.TableIndex < 0) return Reparse(text);

        var table = Tables[entry.TableIndex];
        var removed = entry.LineEnd - entry.LineStart;
        var rest = Text[table.BodyStart..entry.LineStart] + Text[entry.LineEnd..table.BodyEnd];
        if (!string.IsNullOrWhiteSpace(rest) || Entries.Any(e => e != entry && e.TableIndex == entry.TableIndex))
            return Reparse(text);
        var start = table.LineStart;
        var end = table.BodyEnd - removed;
        if (end >= text.Length && start >= 2 && text[start - 1] == '\n' && text[start - 2] == '\n') start--;
        return Reparse(text[..start] + text[end..]);
    }

    string EnsureNewlineBefore(int at) => at == 0 || Text[at - 1] == '\n' ? Text[..at] : Text[..at] + "\n";

    string IndentAt(int lineStart)
    {
        var i = lineStart;
        while (i < Text.Length && (Text[i] == ' ' || Text[i] == '\t')) i++;
        return Text[lineStart..i];
    }

    static string Reparse(string text)
    {
        Parse(text);
        return text;
    }

    public static bool SamePath(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.Count == b.Count && StartsWith(a, b);

    public static bool StartsWith(IReadOnlyList<string> path, IReadOnlyList<string> prefix)
    {
        if (path.Count < prefix.Count) return false;
        for (var i = 0; i < prefix.Count; i++)
            if (path[i] != prefix[i]) return false;
        return true;
    }
}

/// <summary>A file that is not valid in its format: where, and why. The file is left as it is.</summary>
public sealed class ConfigSyntaxException(int line, int column, string reason) : Exception($"line {line}, column {column}: {reason}")
{
    /// <summary>The error at a character offset of the text, with its 1-based line and column.</summary>
    public static ConfigSyntaxException At(string text, int offset, string reason)
    {
        var lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        return new(1 + text.AsSpan(0, lineStart).Count('\n'), offset - lineStart + 1, reason);
    }
}
