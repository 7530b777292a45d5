using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using ControlPanel.Engine.HostConfig.Toml;

namespace ControlPanel.Engine.Registry;

/// <summary>
/// Reads and edits one top-level member of a JSON object file (daemon.json) by splicing the text: every other
/// member keeps its bytes, order and formatting. Strict JSON as Docker reads it (no comments, no trailing commas).
/// </summary>
public sealed class JsonMembers
{
    sealed record Member(string Name, int NameStart, int ValueStart, int ValueEnd);

    readonly string text;
    readonly List<Member> members = new();
    readonly int open;
    readonly int close;

    JsonMembers(string text)
    {
        this.text = text;
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                throw new ConfigSyntaxException(1, 1, "the file must hold one JSON object { ... }");
            open = CharIndex(bytes, (int)reader.TokenStartIndex);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                var nameStart = CharIndex(bytes, (int)reader.TokenStartIndex);
                reader.Read();
                var valueStart = CharIndex(bytes, (int)reader.TokenStartIndex);
                reader.Skip();
                var valueEnd = CharIndex(bytes, (int)reader.BytesConsumed);
                if (members.Any(m => m.Name == name))
                    throw ConfigSyntaxException.At(text, nameStart, $"\"{name}\" appears twice");
                members.Add(new Member(name, nameStart, valueStart, valueEnd));
            }
            close = CharIndex(bytes, (int)reader.TokenStartIndex);
            // Anything but whitespace after the object is an error too.
            if (reader.Read()) throw ConfigSyntaxException.At(text, CharIndex(bytes, (int)reader.TokenStartIndex), "unexpected content after the object");
        }
        catch (JsonException e)
        {
            throw new ConfigSyntaxException((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, FirstSentence(e.Message));
        }
    }

    /// <summary>Parses the text; throws <see cref="ConfigSyntaxException"/> with line and column when it is not one JSON object.</summary>
    public static JsonMembers Parse(string text) => new(text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text);

    public IEnumerable<string> Names => members.Select(m => m.Name);

    /// <summary>The member's value as compact JSON, or null when it is absent.</summary>
    public string? Get(string name) =>
        members.FirstOrDefault(m => m.Name == name) is { } m ? JsonNode.Parse(text[m.ValueStart..m.ValueEnd])?.ToJsonString() ?? "null" : null;

    public JsonNode? GetNode(string name) => Get(name) is { } json ? JsonNode.Parse(json) : null;

    /// <summary>The text with the member set to <paramref name="valueJson"/>: replaced in place, or added after the last member.</summary>
    public string Set(string name, string valueJson)
    {
        if (members.FirstOrDefault(m => m.Name == name) is { } m)
            return text[..m.ValueStart] + valueJson + text[m.ValueEnd..];
        var member = JsonSerializer.Serialize(name) + ": " + valueJson;
        if (members.Count == 0)
            return text[..(open + 1)] + "\n  " + member + "\n" + text[close..];
        // The new member is indented like the first one, on its own line if they are.
        var separator = text[(open + 1)..members[0].NameStart];
        var last = members[^1];
        return text[..last.ValueEnd] + "," + (separator.Length == 0 ? " " : separator) + member + text[last.ValueEnd..];
    }

    /// <summary>The text without the member (and the comma that joined it).</summary>
    public string Remove(string name)
    {
        var i = members.FindIndex(m => m.Name == name);
        if (i < 0) return text;
        var m = members[i];
        if (i + 1 < members.Count) return text[..m.NameStart] + text[members[i + 1].NameStart..];
        if (i > 0) return text[..members[i - 1].ValueEnd] + text[m.ValueEnd..];
        return text[..(open + 1)] + text[close..];
    }

    /// <summary>A fresh file holding only the member.</summary>
    public static string NewFile(string name, string valueJson) => "{\n  " + JsonSerializer.Serialize(name) + ": " + valueJson + "\n}\n";

    static int CharIndex(byte[] bytes, int byteIndex) => Encoding.UTF8.GetCharCount(bytes, 0, byteIndex);

    static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
