using System.CommandLine;
using ControlPanel.Engine.Plans;

namespace ControlPanel.Cli;

/// <summary>Options every verb accepts.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data directory (default /var/lib/controlpanel as root, ./data otherwise)",
        Recursive = true,
    };

    /// <summary>A secret given as a file (never on the command line, where the process list shows it); one trailing newline dropped.</summary>
    public static string ReadSecretFile(string field, string path) =>
        File.Exists(path) ? File.ReadAllText(path).TrimEnd('\n', '\r') : throw new Engine.Validation.InputException(field, path, "does not exist");

    public static readonly Option<bool> Json = new("--json") { Description = "Print machine-readable JSON" };

    /// <summary>
    /// Hidden: harmless fixture stages replace the install/uninstall plans (tests and benchmarks only). Verbs that
    /// start or resume runs take it, so a run started with the fixtures is resumed with them.
    /// </summary>
    public static readonly Option<string?> FixturePlans = new("--fixture-plans") { Hidden = true };

    /// <summary>The fixture plans with --fixture-plans, the stack's otherwise.</summary>
    public static PlanCatalog Plans(ParseResult parse) =>
        parse.GetValue(FixturePlans) is { } dir ? Testing.FixturePlans.Catalog(dir) : StackPlans.Catalog();

    public static string DataDirectory(ParseResult parse) =>
        Path.GetFullPath(parse.GetValue(Data) ?? (Environment.UserName == "root" ? "/var/lib/controlpanel" : "data"));
}
