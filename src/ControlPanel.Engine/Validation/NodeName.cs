using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Validation;

/// <summary>A panel node's name (`serve --node`): shown in tables and recorded in runs, so short and plain.</summary>
public static partial class NodeName
{
    static readonly MessageTemplate Invalid = new("input.node-name", "must be 1 to 63 letters, digits, dots, dashes or underscores");

    public static string Require(string value) =>
        Plain().IsMatch(value) ? value : throw new InputException("node", value, Invalid.Message());

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex Plain();
}
