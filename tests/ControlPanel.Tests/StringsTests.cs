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
