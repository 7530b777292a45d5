using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Hosts;

/// <summary>A remote machine named as ssh://user@host:port.</summary>
public sealed partial record SshTarget(string User, string Address, int Port)
{
    static readonly MessageTemplate SshShape = new("input.ssh-target", "is not of the form ssh://user@host[:port]");

    public override string ToString() => $"ssh://{User}@{Address}:{Port}";

    /// <summary>Parses ssh://user@host[:port]; throws <see cref="InputException"/> naming the field.</summary>
    public static SshTarget Parse(string field, string value)
    {
        var m = UriPattern().Match(value);
        if (!m.Success)
            throw new InputException(field, value, SshShape.Message());
        var user = m.Groups["user"].Success ? m.Groups["user"].Value : "root";
        var address = m.Groups["host"].Value.Trim('[', ']');
        if (!HostName.IsValidOrAddress(address))
            throw new InputException(field, value, InputReasons.NotHostOrIp.Message());
        var port = m.Groups["port"].Success ? int.Parse(m.Groups["port"].Value) : 22;
        if (port is < 1 or > 65535)
            throw new InputException(field, value, InputReasons.PortOutside.Message());
        return new SshTarget(user, address, port);
    }

    [GeneratedRegex(@"^ssh://(?:(?<user>[a-z_][a-z0-9_-]{0,31})@)?(?<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::(?<port>[0-9]{1,5}))?/?$")]
    private static partial Regex UriPattern();
}
