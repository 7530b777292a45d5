using System.CommandLine;
using ControlPanel.Composition;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>Options every verb accepts.</summary>
public static class CommonOptions
{
    static readonly MessageTemplate OtherPlans = new("input.run-other-plans-binary", "was started with the plans \"{plans}\", which this binary does not have");

    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Data directory (default /var/lib/controlpanel as root, ./data otherwise)",
        Recursive = true,
    };

    /// <summary>A secret given as a file (never on the command line, where the process list shows it); one trailing newline dropped.</summary>
    public static string ReadSecretFile(string field, string path) =>
        File.Exists(path) ? File.ReadAllText(path).TrimEnd('\n', '\r') : throw new InputException(field, path, InputReasons.DoesNotExist.Message());

    public static readonly Option<bool> Json = new("--json") { Description = "Print machine-readable JSON" };

    /// <summary>The plans a stored run or batch was started with, by their recorded name, so a re-run uses the same ones.</summary>
    public static PlanCatalog PlansNamed(PlanSource plans, string field, long id, string name) =>
        plans.Named(name) ?? throw new InputException(field, id.ToString(), OtherPlans.With(("plans", name)));

    public static string DataDirectory(ParseResult parse) =>
        Path.GetFullPath(parse.GetValue(Data) ?? (Environment.UserName == "root" ? "/var/lib/controlpanel" : "data"));
}
