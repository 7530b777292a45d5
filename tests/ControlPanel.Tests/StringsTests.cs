using System.Reflection;
using ControlPanel.Resources;
using ControlPanel.Web.Localization;

namespace ControlPanel.Tests;

/// <summary>Every UI string has both languages, and the Chinese one is Chinese (not a copied English text).</summary>
public sealed class StringsTests
{
    public static IEnumerable<object[]> AllTexts() =>
        typeof(S).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Text))
            .Select(f => new object[] { f.Name, (Text)f.GetValue(null)! });

    [Theory]
    [MemberData(nameof(AllTexts))]
    public void HasEnglishAndChinese(string name, Text text)
    {
        Assert.False(string.IsNullOrWhiteSpace(text.En), name);
        Assert.Contains(text.Zh, c => c is >= '\u4e00' and <= '\u9fff');
        Assert.Equal(CountPlaceholders(text.En), CountPlaceholders(text.Zh));
    }

    // What a CLI user types: a long flag, or the command's name followed by a verb. A command the engine ran, quoted
    // in backticks (`containerd --version`), is what happened on the host, not an instruction.
    static readonly System.Text.RegularExpressions.Regex CliWordsOutsideQuotes = new(@"(^|[\s(（])--[a-z]|controlpanel [a-z]");
    static readonly System.Text.RegularExpressions.Regex QuotedCommand = new("`(?!controlpanel )[^`]*`");

    static class CliWords
    {
        public static bool IsMatch(string text) => CliWordsOutsideQuotes.IsMatch(QuotedCommand.Replace(text, ""));
    }

    static Dictionary<string, string> ResourceFile(string culture) =>
        new System.Resources.ResourceManager(typeof(S).FullName!, typeof(S).Assembly)
            .GetResourceSet(culture.Length == 0 ? System.Globalization.CultureInfo.InvariantCulture : new(culture), true, false)!
            .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    [Fact]
    public void The_resource_files_hold_the_same_keys_and_each_chinese_text_is_chinese_with_the_same_placeholders()
    {
        var en = ResourceFile("");
        var zh = ResourceFile(PanelCultures.Chinese);
        Assert.True(en.Count > 400, $"{en.Count} English texts");
        Assert.Empty(en.Keys.Except(zh.Keys));
        Assert.Empty(zh.Keys.Except(en.Keys));
        Assert.All(zh, t => Assert.True(t.Value.Any(c => c is >= '\u4e00' and <= '\u9fff'), $"{t.Key}: {t.Value}"));
        Assert.All(en, t => Assert.True(CountPlaceholders(t.Value) == CountPlaceholders(zh[t.Key]), $"{t.Key}: {t.Value} / {zh[t.Key]}"));
        // Every member of S names a text that exists.
        Assert.All(AllTexts(), m => Assert.True(en.ContainsKey(((Text)m[1]).Key), (string)m[0]));
    }

    [Fact]
    public void Every_audit_action_has_a_chinese_name_and_keeps_its_own_in_english()
    {
        var actions = typeof(ControlPanel.Web.Audit.AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(actions.Order(), S.TranslatedAuditActions.Order());
        var ui = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            foreach (var action in actions)
            {
                System.Globalization.CultureInfo.CurrentUICulture = new(PanelCultures.Chinese);
                Assert.Contains(S.AuditActionName(action), c => c is >= '\u4e00' and <= '\u9fff');
                System.Globalization.CultureInfo.CurrentUICulture = new(PanelCultures.English);
                Assert.Equal(action, S.AuditActionName(action));
            }
        }
        finally { System.Globalization.CultureInfo.CurrentUICulture = ui; }
    }

    [Theory]
    [MemberData(nameof(AllTexts))]
    public void The_panel_speaks_in_its_own_words_not_the_CLIs(string name, Text text)
    {
        Assert.False(CliWords.IsMatch(text.En), $"{name}: {text.En}");
        Assert.False(CliWords.IsMatch(text.Zh), $"{name}: {text.Zh}");
    }

    [Fact]
    public void Engine_messages_that_tell_a_CLI_user_what_to_type_are_worded_for_the_panel()
    {
        // Every engine message the panel shows: the Chinese table's keys are all of them.
        var speaking = S.EngineTemplates.Where(t => CliWords.IsMatch(t.Value)).Select(t => t.Key).ToHashSet();
        // Messages only the CLI can give (its own options: --batch, --from, RUN_ID, --key, --panel-port) keep the CLI's words.
        string[] cliOnly = ["input.not-a-batch", "input.not-a-run", "input.failed-required", "input.batch-from-stage",
            "input.run-id-required", "input.password-refused", "input.needs-panel-port"];
        Assert.Empty(speaking.Except(cliOnly).Except(S.PanelWordedKeys));
        foreach (var culture in PanelCultures.Supported)
        {
            using var _ = new CultureScope(culture);
            foreach (var key in S.PanelWordedKeys)
            {
                var shown = S.Engine(new ControlPanel.Engine.Messages.MessageTemplate(key, "engine English --flag").Message());
                Assert.False(CliWords.IsMatch(shown), $"{key}: {shown}");
            }
        }
    }

    sealed class CultureScope : IDisposable
    {
        readonly System.Globalization.CultureInfo before = System.Globalization.CultureInfo.CurrentUICulture;
        public CultureScope(string name) => System.Globalization.CultureInfo.CurrentUICulture = new(name);
        public void Dispose() => System.Globalization.CultureInfo.CurrentUICulture = before;
    }

    static int CountPlaceholders(string s) => Enumerable.Range(0, 4).Count(i => s.Contains("{" + i + "}"));
}
