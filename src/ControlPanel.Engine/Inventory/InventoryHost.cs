using System.Text.RegularExpressions;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Inventory;

/// <summary>
/// A machine of the fleet: a short name, how to reach it over SSH and which private key to use. There is no
/// password field on purpose: the engine only ever authenticates with keys (seed 000 typed passwords through expect).
/// </summary>
public sealed partial record InventoryHost(string Name, SshTarget Target, string? KeyPath, IReadOnlyList<string> Labels)
{
    static readonly MessageTemplate UserAtHost = new("input.inventory-address", "must be user@host[:port] (the SSH user is required)");
    static readonly MessageTemplate HoldsPassword = new("input.inventory-address-password", "holds a password (user:password@host), which is refused: hosts are reached with SSH keys only");
    static readonly MessageTemplate BadName = new("input.inventory-name", "is not a valid host name for the inventory (lower-case letters, digits, '.', '-', '_'; 1-63, starting with a letter or digit)");
    static readonly MessageTemplate ReservedName = new("input.inventory-name-local", "is reserved for this machine");
    static readonly MessageTemplate KeyPathShape = new("input.inventory-key-path", "must be an absolute path to a private key file, without spaces or '..'");

    /// <summary>The host spec runs store ("ssh://user@host:port").</summary>
    public string Spec => Target.ToString();

    public static InventoryHost Create(string name, string address, string? keyPath, IEnumerable<string>? labels, string field = "host")
    {
        var target = ParseAddress($"{field} {name}", address);
        return new InventoryHost(RequireName(field, name), target, RequireKeyPath($"{field} {name}: key", keyPath),
            (labels ?? []).Select(l => HostLabels.Require($"{field} {name}: labels", l)).Distinct().ToList());
    }

    /// <summary>user@host[:port] (or [v6]:port), as typed after `hosts add NAME`; ssh:// in front is accepted too.</summary>
    public static SshTarget ParseAddress(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || !value.Contains('@'))
            throw new InputException(field, value, UserAtHost.Message());
        if (value[..value.LastIndexOf('@')].Contains(':'))
            throw new InputException(field, null, HoldsPassword.Message());
        return SshTarget.Parse(field, value.StartsWith("ssh://", StringComparison.Ordinal) ? value : "ssh://" + value);
    }

    public static string RequireName(string field, string? name)
    {
        if (name is null || !NamePattern().IsMatch(name))
            throw new InputException(field, name, BadName.Message());
        if (name == "local") throw new InputException(field, name, ReservedName.Message());
        return name;
    }

    public static string? RequireKeyPath(string field, string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        if (!Path.IsPathFullyQualified(path) || path.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || path.Split('/').Contains(".."))
            throw new InputException(field, path, KeyPathShape.Message());
        return path;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")] private static partial Regex NamePattern();
}
