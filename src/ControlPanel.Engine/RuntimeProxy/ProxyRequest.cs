using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.RuntimeProxy;

/// <summary>
/// An HTTP(S) proxy for the container runtimes' pulls (seed 000: the edge nodes reached registries through one),
/// validated at the edge. A proxy URL may carry user:password: then it is a secret (kept with the run's secrets,
/// masked in logs, written to a 0600 file). No values at all means reset.
/// </summary>
public sealed partial record ProxyRequest(Uri? HttpProxy, Uri? HttpsProxy, IReadOnlyList<string> NoProxy, MirrorRuntime Runtime) : PlanRequest
{
    static readonly MessageTemplate ProxyRequired = new("input.proxy-required", "or {field} is required");
    static readonly MessageTemplate ProxyUrlCharacters = new("input.proxy-url-characters", "contains characters that are not allowed (percent-encode them in the user name and password)");
    static readonly MessageTemplate NotProxyUrl = new("input.not-proxy-url", "is not an http://, https:// or socks5:// URL");
    static readonly MessageTemplate ProxyUrlShape = new("input.proxy-url-shape", "must be scheme://[user:password@]host:port with nothing after the port");
    static readonly MessageTemplate UserInfoEncoding = new("input.proxy-userinfo-encoding", "has a user name or password with characters that must be percent-encoded");
    static readonly MessageTemplate NoProxyEntry = new("input.no-proxy-entry", "is not a host name, .domain, IP address or CIDR");

    public const string SetKind = "runtime-proxy-set";
    public const string ResetKind = "runtime-proxy-reset";

    public bool IsReset => HttpProxy is null && HttpsProxy is null;

    public override string PlanKind => IsReset ? ResetKind : SetKind;
    public bool HasCredentials => HttpProxy?.UserInfo.Length > 0 || HttpsProxy?.UserInfo.Length > 0;

    public static ProxyRequest ParseSet(string? httpProxy, string? httpsProxy, string? noProxy, string? runtime)
    {
        var http = string.IsNullOrWhiteSpace(httpProxy) ? null : RequireProxyUrl("httpProxy", httpProxy);
        var https = string.IsNullOrWhiteSpace(httpsProxy) ? null : RequireProxyUrl("httpsProxy", httpsProxy);
        if (http is null && https is null) throw new InputException("httpProxy", null, ProxyRequired.With(("field", "httpsProxy")));
        return new ProxyRequest(http, https, ParseNoProxy("noProxy", noProxy), MirrorRuntimes.Parse("runtime", runtime));
    }

    public static ProxyRequest ParseReset(string? runtime) =>
        new(null, null, [], MirrorRuntimes.Parse("runtime", string.IsNullOrWhiteSpace(runtime) ? "both" : runtime));

    /// <summary>http, https or socks5 with a host and port, optional percent-encoded user:password, nothing after the port.</summary>
    public static Uri RequireProxyUrl(string field, string value)
    {
        var shown = Masked(value);
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || "\"'`;{}$\\<>".Contains(c)))
            throw new InputException(field, shown, ProxyUrlCharacters.Message());
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "socks5"))
            throw new InputException(field, shown, NotProxyUrl.Message());
        if (!HostName.IsValidOrAddress(uri.Host))
            throw new InputException(field, shown, InputReasons.NotHostOrIp.Message());
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new InputException(field, shown, ProxyUrlShape.Message());
        if (uri.UserInfo.Length > 0 && !UserInfo().IsMatch(uri.UserInfo))
            throw new InputException(field, shown, UserInfoEncoding.Message());
        return uri;
    }

    /// <summary>NO_PROXY entries as Go reads them: *, host names, .domain suffixes, IPs and CIDRs, optionally with a port.</summary>
    public static IReadOnlyList<string> ParseNoProxy(string field, string? value)
    {
        var entries = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var e in entries)
        {
            var hostPart = NoProxyPort().Replace(e, "");
            var ok = e == "*" || HostName.IsValid(hostPart.TrimStart('.')) || IPAddress.TryParse(hostPart.Trim('[', ']'), out _) || IPNetwork.TryParse(e, out _);
            if (!ok) throw new InputException(field, e, NoProxyEntry.Message());
        }
        return entries.Distinct().ToList();
    }

    /// <summary>The URL with its password replaced, for messages and stored inputs.</summary>
    public static string Masked(string url) => Password().Replace(url, "${user}:***@");

    public override StoredRequest Store()
    {
        var secrets = new Dictionary<string, string>();
        var inputs = new Dictionary<string, string> { ["noProxy"] = string.Join(',', NoProxy), ["runtime"] = MirrorRuntimes.Name(Runtime) };
        foreach (var (key, uri) in new[] { ("httpProxy", HttpProxy), ("httpsProxy", HttpsProxy) })
        {
            if (uri is null) continue;
            secrets[key] = uri.OriginalString;
            inputs[key] = Masked(uri.OriginalString);
            // The password alone is masked too, wherever it might show up decoded.
            if (uri.UserInfo.Split(':', 2) is [_, { Length: > 0 } password]) secrets[key + "Password"] = Uri.UnescapeDataString(password);
        }
        return new StoredRequest(PlanKind, inputs, secrets);
    }

    public static ProxyRequest From(StoredRequest r) => r.Kind == ResetKind
        ? ParseReset(r.Input("runtime"))
        : ParseSet(r.Secret("httpProxy"), r.Secret("httpsProxy"), r.Input("noProxy"), r.Input("runtime"));

    [GeneratedRegex(@"^[A-Za-z0-9._~!*+,=%-]+(:[A-Za-z0-9._~!*+,=%-]*)?$")] private static partial Regex UserInfo();
    [GeneratedRegex(@"(?<=://)(?<user>[^:@/]*):[^@/]*@")] private static partial Regex Password();
    [GeneratedRegex(@":[0-9]{1,5}$")] private static partial Regex NoProxyPort();
}
