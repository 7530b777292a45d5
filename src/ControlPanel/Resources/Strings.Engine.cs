using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;
using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

/// <summary>
/// The engine's messages in Chinese, from Resources/EngineMessages.zh-Hans.resx by the stable key each MessageTemplate
/// declares (placeholders by name, as in the English template). The English is the engine's own text. A key missing
/// there, and any verbatim text (command output, a CA's or nginx's own error), shows as the engine wrote it; a test
/// requires every declared key there.
/// </summary>
public static partial class S
{
    /// <summary>The engine's messages in Chinese (Resources/EngineMessages.zh-Hans.resx), by key.</summary>
    static readonly System.Resources.ResourceManager EngineMessages = new("ControlPanel.Resources.EngineMessages", typeof(S).Assembly);

    /// <summary>Chinese templates an entry point added (<see cref="AddEngineTemplates"/>), beside the resource file's.</summary>
    static readonly Dictionary<string, string> AddedEngineZh = new();

    static string? EngineZh(string key) =>
        AddedEngineZh.TryGetValue(key, out var added) ? added : EngineMessages.GetString(key, PanelCultures.ChineseCulture);

    /// <summary>
    /// Chinese templates of messages declared outside the product (by plans an entry point brings, see
    /// Composition/PlanSource), added once at start before the panel serves.
    /// </summary>
    public static void AddEngineTemplates(IReadOnlyDictionary<string, string> templates)
    {
        foreach (var (key, zh) in templates) AddedEngineZh.Add(key, zh);
    }

    /// <summary>The Chinese template of each translated engine key (for the tests).</summary>
    public static IReadOnlyDictionary<string, string> EngineTemplates =>
        EngineMessages.GetResourceSet(PanelCultures.ChineseCulture, createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!)
            .Concat(AddedEngineZh).ToDictionary();

    /// <summary>The keys the panel words its own way (for the tests).</summary>
    public static IReadOnlyCollection<string> PanelWordedKeys => PanelStrings.NamesIn("PanelWorded");

    static string? PanelTemplate(string key) =>
        PanelStrings.Named("PanelWorded", key)?.ToString() ?? (PanelCultures.IsChinese ? EngineZh(key) : null);

    /// <summary>An engine message in the current language and the panel's words; parts without a translation keep the engine's English.</summary>
    public static string Engine(UserMessage? message) => message is null ? "" : message.Render(PanelTemplate);

    /// <summary>A validation reason in the current language; a field it names ({field}) shows as that field's label.</summary>
    public static string InputReason(UserMessage? reason) =>
        reason is null ? "" : Engine(reason.Args.TryGetValue("field", out var field)
            ? reason with { Args = new Dictionary<string, UserMessage>(reason.Args) { ["field"] = UserMessage.Verbatim(FieldLabel(field.Text)) } }
            : reason);

    /// <summary>Bad input as one line: the field's label and the reason, in the current language.</summary>
    public static string InputError(InputException e) => $"{FieldLabel(e.Field)}: {InputReason(e.Reason)}";

    /// <summary>
    /// A message kept in a run record: its English text, and its key and arguments (UserMessage JSON) when the engine
    /// gave one. Older rows have only the text.
    /// </summary>
    public static string Engine(string? english, string? json) =>
        UserMessage.FromJson(json) is { } message ? Engine(message) : english ?? "";
}
