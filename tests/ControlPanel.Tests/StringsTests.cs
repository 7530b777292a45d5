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

    static int CountPlaceholders(string s) => Enumerable.Range(0, 4).Count(i => s.Contains("{" + i + "}"));
}
