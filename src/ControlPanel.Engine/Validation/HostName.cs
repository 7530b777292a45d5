using System.Globalization;
using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Validation;

/// <summary>DNS host names per RFC 1123 (letters, digits, hyphens; labels 1-63; total 253), punycode labels included.</summary>
public static partial class HostName
{
    static readonly MessageTemplate NotHostName = new("input.not-host-name", "is not a valid host name");

    static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 253) return false;
        var labels = name.TrimEnd('.').Split('.');
        if (!labels.All(l => Label().IsMatch(l))) return false;
        // A punycode label must decode to something: "xn--" followed by garbage is not a name.
        try { _ = Idn.GetUnicode(name.TrimEnd('.')); }
        catch (ArgumentException) { return false; }
        return true;
    }

    /// <summary>A host name or an IP address (IPv6 with or without its URL brackets).</summary>
    public static bool IsValidOrAddress(string? host)
    {
        var bare = host?.Trim('[', ']');
        return IsValid(bare) || System.Net.IPAddress.TryParse(bare, out _);
    }

    /// <summary>A public domain for a certificate: a valid host name with at least two labels and a non-numeric top label.</summary>
    public static string RequireDomain(string field, string? value)
    {
        var v = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(v)) throw new InputException(field, null, InputReasons.Required.Message());
        if (!IsValid(v) || !v.Contains('.') || v.Split('.')[^1].All(char.IsAsciiDigit))
            throw new InputException(field, value, NotHostName.Message());
        return v.TrimEnd('.');
    }

    [GeneratedRegex("^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")] private static partial Regex Label();
}
