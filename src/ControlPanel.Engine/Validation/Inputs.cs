using System.Text.RegularExpressions;

namespace ControlPanel.Engine.Validation;

/// <summary>Edge validation of the values users type. Each check returns the clean value or throws naming the field.</summary>
public static partial class Inputs
{
    public static string RequireEmail(string field, string? value)
    {
        var v = value?.Trim() ?? "";
        var at = v.LastIndexOf('@');
        if (at < 1 || !EmailLocal().IsMatch(v[..at]) || !HostName.IsValid(v[(at + 1)..]) || !v[(at + 1)..].Contains('.'))
            throw new InputException(field, value, "is not a valid e-mail address");
        return v;
    }

    /// <summary>An http(s) base URL with no credentials, query or fragment.</summary>
    public static Uri RequireHttpUrl(string field, string? value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new InputException(field, value, "is not an http:// or https:// URL");
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new InputException(field, value, "must not contain credentials, a query or a fragment");
        if (value!.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || "\"'`;{}$\\<>".Contains(c)))
            throw new InputException(field, value, "contains characters that are not allowed in a URL here");
        return uri;
    }

    public static string RequireOneOf(string field, string? value, params string[] allowed)
    {
        var v = value?.Trim().ToLowerInvariant() ?? "";
        return allowed.Contains(v) ? v : throw new InputException(field, value, $"must be one of: {string.Join(", ", allowed)}");
    }

    /// <summary>A password: printable, no newlines (it ends up in a secrets file), 8-128 characters.</summary>
    public static string RequirePassword(string field, string? value)
    {
        if (value is null || value.Length < 8) throw new InputException(field, null, "must be at least 8 characters");
        if (value.Length > 128) throw new InputException(field, null, "must be at most 128 characters");
        if (value.Any(char.IsControl)) throw new InputException(field, null, "must not contain control characters or newlines");
        return value;
    }

    [GeneratedRegex(@"^[A-Za-z0-9.!#%&*+/=?^_|~-]{1,64}$")] private static partial Regex EmailLocal();
}
