using System.Globalization;

namespace ControlPanel.Web.Localization;

/// <summary>
/// One UI string in both languages. Every string of the panel is a Text in Resources/Strings.cs, so a missing
/// translation cannot compile. Rendering a Text (@S.Something) picks the current UI culture's language.
/// </summary>
public sealed record Text(string En, string Zh)
{
    public override string ToString() => PanelCultures.IsChinese ? Zh : En;

    public string Format(params object?[] args) => string.Format(CultureInfo.CurrentCulture, ToString(), args);
}

/// <summary>The panel's languages: English and Simplified Chinese, chosen by a cookie.</summary>
public static class PanelCultures
{
    public const string English = "en";
    public const string Chinese = "zh-Hans";
    public static readonly string[] Supported = [English, Chinese];

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
}
