using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Validation;

/// <summary>Edge validation of the values users type. Each check returns the clean value or throws naming the field.</summary>
public static partial class Inputs
{
    static readonly MessageTemplate NotEmail = new("input.not-email", "is not a valid e-mail address");
    static readonly MessageTemplate NotHttpUrl = new("input.not-http-url", "is not an http:// or https:// URL");
    static readonly MessageTemplate UrlExtras = new("input.url-extras", "must not contain credentials, a query or a fragment");
    static readonly MessageTemplate UrlCharacters = new("input.url-characters", "contains characters that are not allowed in a URL here");
    static readonly MessageTemplate ControlCharacters = new("input.no-control-characters", "must not contain control characters or newlines");

    public static string RequireEmail(string field, string? value)
    {
        var v = value?.Trim() ?? "";
        var at = v.LastIndexOf('@');
        if (at < 1 || !EmailLocal().IsMatch(v[..at]) || !HostName.IsValid(v[(at + 1)..]) || !v[(at + 1)..].Contains('.'))
            throw new InputException(field, value, NotEmail.Message());
        return v;
    }

    /// <summary>An http(s) base URL with no credentials, query or fragment.</summary>
    public static Uri RequireHttpUrl(string field, string? value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new InputException(field, value, NotHttpUrl.Message());
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new InputException(field, value, UrlExtras.Message());
        if (value!.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || "\"'`;{}$\\<>".Contains(c)))
            throw new InputException(field, value, UrlCharacters.Message());
        return uri;
    }

    public static string RequireOneOf(string field, string? value, params string[] allowed)
    {
        var v = value?.Trim().ToLowerInvariant() ?? "";
        return allowed.Contains(v) ? v : throw new InputException(field, value, InputReasons.OneOf.With(("choices", string.Join(", ", allowed))));
    }

    /// <summary>A password: printable, no newlines (it ends up in a secrets file), 8-128 characters.</summary>
    public static string RequirePassword(string field, string? value)
    {
        if (value is null || value.Length < 8) throw new InputException(field, null, InputReasons.AtLeast.With(("count", 8)));
        if (value.Length > 128) throw new InputException(field, null, InputReasons.AtMost.With(("count", 128)));
        if (value.Any(char.IsControl)) throw new InputException(field, null, ControlCharacters.Message());
        return value;
    }

    [GeneratedRegex(@"^[A-Za-z0-9.!#%&*+/=?^_|~-]{1,64}$")] private static partial Regex EmailLocal();
}
