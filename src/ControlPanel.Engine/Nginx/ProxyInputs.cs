using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// Validation of the values users give for a proxy site. Only plain characters pass, so nothing a user types can
/// end a directive, open or close a block, start a comment, reference a variable or quote (; { } # $ " ' space
/// newline backslash are all refused).
/// </summary>
public static partial class ProxyInputs
{
    public const int MaxPathLength = 256;

    /// <summary>A location prefix: "/" or "/seg/.../" with unreserved URL characters and no "." or ".." segment.</summary>
    public static string RequireLocationPath(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) throw new InputException(field, null, "is required");
        if (value.Length > MaxPathLength) throw new InputException(field, value, $"is longer than {MaxPathLength} characters");
        if (!LocationPath().IsMatch(value))
            throw new InputException(field, value, "must be a path like /app/ (starting and ending with /, segments of letters, digits and . _ ~ -, no . or .. segment)");
        return value;
    }

    /// <summary>An upstream URL: http or https, an IP address or host name, an optional port and path.</summary>
    public static Upstream RequireUpstream(string field, string? value)
    {
        if (string.IsNullOrEmpty(value)) throw new InputException(field, null, "is required");
        if (!UpstreamChars().IsMatch(value))
            throw new InputException(field, value, "may only contain letters, digits and . _ ~ - : / [ ] (no spaces, quotes, ; { } # $ \\ or query)");
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : value[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https")) throw new InputException(field, value, "must start with http:// or https://");
        var rest = value[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "" : rest[slash..];
        if (!UpstreamPath().IsMatch(path))
            throw new InputException(field, value, "has a path that is not plain (/seg/seg/, no . or .. segment)");
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
            if (close < 0) throw new InputException(field, value, "has an unclosed [ in its IPv6 address");
            host = authority[..(close + 1)];
            portText = authority[(close + 1)..];
            if (!IPAddress.TryParse(host[1..^1], out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                throw new InputException(field, value, "has an invalid IPv6 address");
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
            if (!valid) throw new InputException(field, value, "has an invalid host (an IP address or RFC 1123 host name)");
        }
        if (portText.Length == 0) return (host, defaultPort);
        if (portText[0] != ':' || !int.TryParse(portText[1..], System.Globalization.NumberStyles.None, null, out var port) || port is < 1 or > 65535)
            throw new InputException(field, value, "has an invalid port (1-65535)");
        return (host, port);
    }

    [GeneratedRegex(@"^/(?:(?!\.{1,2}/)[A-Za-z0-9._~-]+/)*$")] private static partial Regex LocationPath();
    [GeneratedRegex(@"^(?:/(?!\.{1,2}(?:/|$))[A-Za-z0-9._~-]+)*/?$")] private static partial Regex UpstreamPath();
    [GeneratedRegex(@"^[A-Za-z0-9._~:/\[\]-]+$")] private static partial Regex UpstreamChars();
}
