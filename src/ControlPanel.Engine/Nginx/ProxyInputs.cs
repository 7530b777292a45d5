using System.Net.Sockets;
using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// Validation of the values users give for a proxy site. Only plain characters pass, so nothing a user types can
/// end a directive, open or close a block, start a comment, reference a variable or quote (; { } # $ " ' space
/// newline backslash are all refused).
/// </summary>
public static partial class ProxyInputs
{
    static readonly MessageTemplate TooLong = new("input.too-long", "is longer than {max} characters");
    static readonly MessageTemplate PathShape = new("input.route-path", "must be a path like /app/ (starting and ending with /, segments of letters, digits and . _ ~ -, no . or .. segment)");
    static readonly MessageTemplate UpstreamCharacters = new("input.upstream-characters", "may only contain letters, digits and . _ ~ - : / [ ] (no spaces, quotes, ; { } # $ \\ or query)");
    static readonly MessageTemplate HttpScheme = new("input.http-scheme", "must start with http:// or https://");
    static readonly MessageTemplate PlainPath = new("input.upstream-plain-path", "has a path that is not plain (/seg/seg/, no . or .. segment)");
    static readonly MessageTemplate UnclosedBracket = new("input.ipv6-unclosed", "has an unclosed [ in its IPv6 address");
    static readonly MessageTemplate BadIpv6 = new("input.ipv6-invalid", "has an invalid IPv6 address");
    static readonly MessageTemplate BadHost = new("input.upstream-host", "has an invalid host (an IP address or RFC 1123 host name)");
    static readonly MessageTemplate BadPort = new("input.upstream-port", "has an invalid port (1-65535)");

    public const int MaxPathLength = 256;

    /// <summary>A location prefix: "/" or "/seg/.../" with unreserved URL characters and no "." or ".." segment.</summary>
    public static string RequireLocationPath(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) throw new InputException(field, null, InputReasons.Required.Message());
        if (value.Length > MaxPathLength) throw new InputException(field, value, TooLong.With(("max", MaxPathLength)));
        if (!LocationPath().IsMatch(value))
            throw new InputException(field, value, PathShape.Message());
        return value;
    }

    /// <summary>An upstream URL: http or https, an IP address or host name, an optional port and path.</summary>
    public static Upstream RequireUpstream(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) throw new InputException(field, null, InputReasons.Required.Message());
        if (!UpstreamChars().IsMatch(value))
            throw new InputException(field, value, UpstreamCharacters.Message());
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : value[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https")) throw new InputException(field, value, HttpScheme.Message());
        var rest = value[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[slash..];
        if (!UpstreamPath().IsMatch(path))
            throw new InputException(field, value, PlainPath.Message());
        var (host, port) = SplitAuthority(field, value, authority, scheme == "https" ? 443 : 80);
        return new Upstream(scheme, host, port, path);
    }

    /// <summary>A host name nginx will match in server_name (RFC 1123, punycode labels must decode).</summary>
    public static string RequireServerName(string field, string? value) => HostName.RequireDomain(field, value);

    static (string Host, int Port) SplitAuthority(string field, string value, string authority, int defaultPort)
    {
        string host, portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0) throw new InputException(field, value, UnclosedBracket.Message());
            host = authority[..(close + 1)];
            portText = authority[(close + 1)..];
            if (!IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                throw new InputException(field, value, BadIpv6.Message());
        }
        else
        {
            var colon = authority.IndexOf(':');
            host = (colon < 0 ? authority : authority[..colon]).ToLowerInvariant();
            portText = colon < 0 ? "" : authority[colon..];
            var looksNumeric = host.Length > 0 && host.All(c => char.IsAsciiDigit(c) || c == '.');
            var valid = looksNumeric
                ? IPAddress.TryParse(host, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && host.Split('.').Length == 4
                : HostName.IsValid(host) && !host.EndsWith('.');
            if (!valid) throw new InputException(field, value, BadHost.Message());
        }
        if (portText.Length == 0) return (host, defaultPort);
        if (portText[0] != ':' || !int.TryParse(portText[1..], System.Globalization.NumberStyles.None, null, out var port) || port is < 1 or > 65535)
            throw new InputException(field, value, BadPort.Message());
        return (host, port);
    }

    [GeneratedRegex(@"^/(?:(?!\.{1,2}/)[A-Za-z0-9._~-]+/)*$")] private static partial Regex LocationPath();
    [GeneratedRegex(@"^(?:/(?!\.{1,2}(?:/|$))[A-Za-z0-9._~-]+)*/?$")] private static partial Regex UpstreamPath();
    [GeneratedRegex(@"^[A-Za-z0-9._~:/\[\]-]+$")] private static partial Regex UpstreamChars();
}
