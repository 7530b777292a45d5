using System.Text;

namespace ControlPanel.Cli;

/// <summary>
/// The CLI's words for the engine's field keys: the key "downloadMirror" is the flag --download-mirror. Names that are
/// already the CLI's (--domain, RUN_ID) stay as they are.
/// </summary>
public static class CliFlags
{
    /// <summary>Flags that are not simply their key in kebab case.</summary>
    static readonly Dictionary<string, string> Differ = new()
    {
        ["password"] = "--password-file",
        ["upstreamPassword"] = "--upstream-password-file",
    };

    public static string Of(string field)
    {
        if (field.Length == 0 || !char.IsAsciiLetterLower(field[0]) || !field.All(char.IsAsciiLetterOrDigit)) return field;
        if (Differ.TryGetValue(field, out var flag)) return flag;
        var kebab = new StringBuilder("--");
        foreach (var c in field) kebab.Append(char.IsAsciiLetterUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString());
        return kebab.ToString();
    }
}
