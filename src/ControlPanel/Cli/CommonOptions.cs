using System.CommandLine;

namespace ControlPanel.Cli;

/// <summary>Options every verb accepts.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data directory (default /var/lib/controlpanel as root, ./data otherwise)",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print machine-readable JSON" };

    public static string DataDirectory(ParseResult parse) =>
        Path.GetFullPath(parse.GetValue(Data) ?? (Environment.UserName == "root" ? "/var/lib/controlpanel" : "data"));
}
