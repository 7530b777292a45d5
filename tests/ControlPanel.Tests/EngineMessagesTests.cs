using System.Globalization;
using System.Reflection;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using ControlPanel.Resources;
using ControlPanel.Web.Localization;

namespace ControlPanel.Tests;

/// <summary>Every message key the engine and the panel declare has a Chinese template with the same placeholders.</summary>
public sealed class EngineMessagesTests
{
    /// <summary>Every MessageTemplate held in a static field of the engine or the panel, public or not.</summary>
    public static IReadOnlyList<MessageTemplate> Declared { get; } =
        new[] { typeof(UserMessage).Assembly, typeof(S).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => f.FieldType == typeof(MessageTemplate))
            .Select(f => (MessageTemplate)f.GetValue(null)!).ToList();

    public static IEnumerable<object[]> DeclaredKeys() => Declared.Select(t => new object[] { t.Key, t.English });

    [Theory]
    [MemberData(nameof(DeclaredKeys))]
    public void HasAChineseTemplateWithTheSamePlaceholders(string key, string english)
    {
        Assert.True(S.EngineTemplates.TryGetValue(key, out var zh), $"no Chinese template for {key} (\"{english}\") in Resources/Strings.Engine.cs");
        Assert.Equal(MessageTemplate.PlaceholdersOf(english).Order(), MessageTemplate.PlaceholdersOf(zh).Order());
        Assert.NotEqual(english, zh);
        Assert.Contains(zh, c => c is >= '\u4e00' and <= '\u9fff' or '：' or '（');
    }

    [Fact]
    public void KeysAreUniqueAndEveryTranslationHasItsKey()
    {
        Assert.True(Declared.Count >= 60, $"only {Declared.Count} keys found: the reflection missed some");
        var twice = Declared.GroupBy(t => t.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, "keys declared twice: " + string.Join(", ", twice));
        var stale = S.EngineTemplates.Keys.Except(Declared.Select(t => t.Key)).ToList();
        Assert.True(stale.Count == 0, "translations of keys nobody declares: " + string.Join(", ", stale));
    }

    [Fact]
    public void StoredMessagesShowInTheCurrentLanguage_AndOlderRowsAsTheyWere()
    {
        var reason = CheckReasons.Missing.With(("path", "/usr/local/bin/faasd"));
        var verbatim = UserMessage.Verbatim("E: Unable to locate package runc");
        var ui = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo(PanelCultures.Chinese);
            Assert.Equal("/usr/local/bin/faasd 不存在", S.Engine(reason.Text, reason.ToJson()));
            Assert.Equal(verbatim.Text, S.Engine(verbatim.Text, verbatim.ToJson()));
            Assert.Equal("an old row's text", S.Engine("an old row's text", null));
            var unknown = new MessageTemplate("test.not-translated", "{n} things").With(("n", 2));
            Assert.Equal("2 things", S.Engine(unknown.Text, unknown.ToJson()));

            CultureInfo.CurrentUICulture = new CultureInfo(PanelCultures.English);
            Assert.Equal("/usr/local/bin/faasd is missing", S.Engine(reason.Text, reason.ToJson()));
        }
        finally { CultureInfo.CurrentUICulture = ui; }
    }

    [Fact]
    public void InputReasons_ShowByKey_WithTheNamedFieldsLabel_InBothLanguages()
    {
        var e = Assert.Throws<InputException>(() => ControlPanel.Engine.Acme.ExternalAccountBinding.Parse("EabKid", null, "EabHmacKey", "c2VjcmV0c2VjcmV0c2VjcmV0"));
        Assert.Equal("EabKid: is required with EabHmacKey", e.Message);
        var choices = Assert.Throws<InputException>(() => Inputs.RequireOneOf("--runtime", "podman", "containerd", "docker"));
        Assert.Equal("--runtime: \"podman\" must be one of: containerd, docker", choices.Message);
        var ui = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo(PanelCultures.Chinese);
            Assert.Equal("EAB 密钥 ID: 填写EAB HMAC 密钥时为必填项", S.InputError(e));
            Assert.Equal("必须是以下之一：containerd, docker", S.InputReason(choices.Reason));
            Assert.Equal("--runtime：“podman”必须是以下之一：containerd, docker", S.Engine(choices.UserMessage));

            CultureInfo.CurrentUICulture = new CultureInfo(PanelCultures.English);
            Assert.Equal("EAB key id: is required with EAB HMAC key", S.InputError(e));
            Assert.Equal(choices.Message, S.Engine(choices.UserMessage));
        }
        finally { CultureInfo.CurrentUICulture = ui; }
    }
}
