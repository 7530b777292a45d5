using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ControlPanel.Engine.Messages;

/// <summary>
/// A message the engine shows to the user under a stable key, declared once beside the code that says it.
/// The English text has named placeholders ("{path} is missing"); the panel keeps a translation per key, the CLI
/// prints the English. Braces that do not enclose a name (e.g. "; { } #") are plain text.
/// </summary>
public sealed partial class MessageTemplate(string key, string english)
{
    public string Key { get; } = key;
    public string English { get; } = english;

    /// <summary>The placeholder names of a template text, in order of first use.</summary>
    public static IReadOnlyList<string> PlaceholdersOf(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>The message with its arguments; every placeholder must get one, and nothing else (a mistake here is a bug, caught by the first test that says it).</summary>
    public UserMessage With(params (string Name, object? Value)[] args)
    {
        var named = args.ToDictionary(a => a.Name, a => a.Value as UserMessage ?? UserMessage.Verbatim(Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? ""));
        var names = PlaceholdersOf(English);
        if (names.Count != named.Count || names.Any(n => !named.ContainsKey(n)))
            throw new ArgumentException($"message {Key} takes {string.Join(", ", names)}; given {string.Join(", ", named.Keys)}");
        return new UserMessage(Key, Fill(English, named, m => m.Text), named, []) { EnglishTemplate = English };
    }

    /// <summary>A message without placeholders.</summary>
    public UserMessage Message() => With();

    internal static string Fill(string template, IReadOnlyDictionary<string, UserMessage> args, Func<UserMessage, string> render) =>
        Placeholder().Replace(template, m => args.TryGetValue(m.Groups[1].Value, out var a) ? render(a) : m.Value);

    [GeneratedRegex(@"\{([a-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// What the engine says to the user: a key with arguments and its English text, or verbatim text (command output,
/// a CA's error document, a host's own words) that is shown as it is in every language. Details are a list shown
/// below the message, one per line ("- ...").
/// </summary>
public sealed record UserMessage(string? Key, string Head, IReadOnlyDictionary<string, UserMessage> Args, IReadOnlyList<UserMessage> Details)
{
    /// <summary>
    /// The English template the message was made from, when it was made here (not read back from JSON): a part whose
    /// key a table lacks is filled from it, so arguments replaced after the fact (a field's label) still show.
    /// </summary>
    public string? EnglishTemplate { get; init; }

    /// <summary>Set for a list: the message is its details joined by this, with no head (see <see cref="Join"/>).</summary>
    public string? Joiner { get; init; }

    /// <summary>The English text, details included: what the CLI prints and what the run records keep as their text.</summary>
    public string Text => Render(_ => null);

    public static UserMessage Verbatim(string text) => new(null, text, Empty, []);

    /// <summary>Parts shown one after the other with a separator (", "), each translated on its own.</summary>
    public static UserMessage Join(string separator, IEnumerable<UserMessage> parts) => new(null, "", Empty, parts.ToList()) { Joiner = separator };

    public UserMessage WithDetails(IEnumerable<UserMessage> details) => this with { Details = details.ToList() };

    /// <summary>Whether any part has a key (else the English text is all there is to keep).</summary>
    public bool HasKey => Key is not null || Args.Values.Any(a => a.HasKey) || Details.Any(d => d.HasKey);

    /// <summary>
    /// The message through a table of templates by key (a translation); a part whose key the table lacks keeps its
    /// English text, a verbatim part stays verbatim.
    /// </summary>
    public string Render(Func<string, string?> templateFor)
    {
        if (Joiner is not null) return string.Join(Joiner, Details.Select(d => d.Render(templateFor)));
        var template = Key is null ? null : templateFor(Key) ?? EnglishTemplate;
        var head = template is null ? Head : MessageTemplate.Fill(template, Args, a => a.Render(templateFor));
        return Details.Count == 0 ? head : head + string.Concat(Details.Select(d => "\n- " + d.Render(templateFor)));
    }

    /// <summary>The same message with a function applied to every text in it (masking secrets).</summary>
    public UserMessage Map(Func<string, string> f) =>
        new(Key, f(Head), Args.ToDictionary(a => a.Key, a => a.Value.Map(f)), Details.Select(d => d.Map(f)).ToList()) { Joiner = Joiner, EnglishTemplate = EnglishTemplate };

    public override string ToString() => Text;

    /// <summary>The form kept in the database beside the English text; null when there is no key to keep.</summary>
    public string? ToJson() => HasKey ? JsonSerializer.Serialize(Stored.From(this), JsonOptions) : null;

    /// <summary>The message back from <see cref="ToJson"/>; null for no or unreadable JSON (the English text is shown then).</summary>
    public static UserMessage? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try { return JsonSerializer.Deserialize<Stored>(json, JsonOptions)?.ToMessage(); }
        catch (JsonException) { return null; }
    }

    static readonly IReadOnlyDictionary<string, UserMessage> Empty = new Dictionary<string, UserMessage>();

    static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    sealed record Stored(string? Key, string Text, Dictionary<string, Stored>? Args, List<Stored>? Details, string? Joiner)
    {
        public static Stored From(UserMessage m) => new(m.Key, m.Head,
            m.Args.Count == 0 ? null : m.Args.ToDictionary(a => a.Key, a => From(a.Value)),
            m.Details.Count == 0 ? null : m.Details.Select(From).ToList(), m.Joiner);

        public UserMessage ToMessage() => new(Key, Text ?? "",
            Args?.ToDictionary(a => a.Key, a => a.Value.ToMessage()) ?? Empty,
            Details?.Select(d => d.ToMessage()).ToList() ?? []) { Joiner = Joiner };
    }
}

/// <summary>An exception whose message is meant for the user and has a key (its Message is the English text).</summary>
public interface IUserFacingException
{
    UserMessage UserMessage { get; }
}
