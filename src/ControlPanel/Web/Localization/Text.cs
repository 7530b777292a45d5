using System.Globalization;
using ControlPanel.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Localization;

/// <summary>
/// One UI string, by its key in Resources/Strings.resx (English) and Strings.zh-Hans.resx (Simplified Chinese).
/// The members of <see cref="S"/> name them, so a page writes @S.Something and gets the current UI culture's text
/// through <see cref="IStringLocalizer"/>; a test requires every key in both files.
/// </summary>
public sealed record Text(string Key)
{
    public string En => PanelStrings.In(Key, PanelCultures.EnglishCulture);
    public string Zh => PanelStrings.In(Key, PanelCultures.ChineseCulture);

    public override string ToString() => PanelStrings.Localizer[Key];

    public string Format(params object?[] args) => string.Format(CultureInfo.CurrentCulture, ToString(), args);
}

/// <summary>The panel's strings as the localization framework serves them (a resource manager over Strings*.resx).</summary>
public static class PanelStrings
{
    /// <summary>For the current UI culture; a key missing from both files shows as the key.</summary>
    public static IStringLocalizer Localizer { get; } = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(S));

    static readonly System.Resources.ResourceManager Manager = new(typeof(S).FullName!, typeof(S).Assembly);

    /// <summary>Every key of the resource files (the English one holds them all).</summary>
    static readonly HashSet<string> Keys = Manager.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!
        .Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToHashSet();

    /// <summary>
    /// The text of a name in a group of the resource files ("States.Running", "StageTitles.faasd"); null when the group
    /// has none for it (a plan kind, a stage or an action added later shows as its machine name).
    /// </summary>
    public static Text? Named(string group, string name) => Keys.Contains(group + "." + name) ? new Text(group + "." + name) : null;

    /// <summary>The names a group has texts for (for the tests).</summary>
    public static IReadOnlyCollection<string> NamesIn(string group) =>
        Keys.Where(k => k.StartsWith(group + ".", StringComparison.Ordinal)).Select(k => k[(group.Length + 1)..]).ToList();

    /// <summary>The text in one language, whatever the current one (tests, and the stage titles' Chinese template).</summary>
    public static string In(string key, CultureInfo culture) => Manager.GetString(key, culture) ?? key;
}

/// <summary>The panel's languages: English and Simplified Chinese, chosen by a cookie.</summary>
public static class PanelCultures
{
    public const string English = "en";
    public const string Chinese = "zh-Hans";
    public static readonly string[] Supported = [English, Chinese];
    public static readonly CultureInfo EnglishCulture = new(English);
    public static readonly CultureInfo ChineseCulture = new(Chinese);

    public static bool IsChinese => CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal);
}
