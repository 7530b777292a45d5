using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Registry;

/// <summary>Validation of registry names and mirror URLs, the values that end up in daemon.json, config.toml and hosts.toml.</summary>
public static partial class RegistryInputs
{
    static readonly MessageTemplate RegistryRequired = new("input.registry-required", "is required (e.g. docker.io, ghcr.io, registry.k8s.io, registry.lan:5000)");
    static readonly MessageTemplate NotRegistryHost = new("input.registry-not-host", "is not a registry host name (host or host:port, no scheme or path)");
    static readonly MessageTemplate PathCharacters = new("input.registry-path-characters", "has a path with characters that are not allowed (letters, digits, - . _ ~ / only)");

    /// <summary>Docker Hub's name in image references, and where its API really is.</summary>
    public const string DockerHub = "docker.io";
    public const string DockerHubServer = "https://registry-1.docker.io";

    /// <summary>A registry as image references name it: host[:port] (docker.io, ghcr.io, registry.k8s.io, registry.lan:5000, 10.0.0.5:5000).</summary>
    public static string RequireRegistry(string field, string? value)
    {
        var v = value?.Trim().ToLowerInvariant() ?? "";
        if (v.Length == 0) throw new InputException(field, null, RegistryRequired.Message());
        var m = RegistryPattern().Match(v);
        if (!m.Success) throw new InputException(field, value, NotRegistryHost.Message());
        if (!HostName.IsValidOrAddress(m.Groups["host"].Value))
            throw new InputException(field, value, InputReasons.NotHostOrIp.Message());
        if (m.Groups["port"].Success && int.Parse(m.Groups["port"].Value) is < 1 or > 65535)
            throw new InputException(field, value, InputReasons.PortOutside.Message());
        return v;
    }

    /// <summary>
    /// A mirror: http or https, a host, an optional port and path; no credentials, query, fragment or characters
    /// that could break out of a JSON or TOML string. Returned without a trailing slash.
    /// </summary>
    public static string RequireMirror(string field, string? value)
    {
        var uri = Inputs.RequireHttpUrl(field, value);
        if (!HostName.IsValidOrAddress(uri.Host))
            throw new InputException(field, value, InputReasons.NotHostOrIp.Message());
        if (!PathPattern().IsMatch(uri.AbsolutePath))
            throw new InputException(field, value, PathCharacters.Message());
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>A host name or an IP address (an IPv6 one may be in brackets, as URLs and host:port write it).</summary>
    /// <summary>The registry's own API endpoint, which containerd falls back to when no mirror answers.</summary>
    public static string Server(string registry) => registry == DockerHub ? DockerHubServer : "https://" + registry;

    [GeneratedRegex(@"^(?<host>\[[0-9a-f:]+\]|[a-z0-9.-]+)(?::(?<port>[0-9]{1,5}))?$")]
    private static partial Regex RegistryPattern();
    [GeneratedRegex(@"^[A-Za-z0-9._~/-]*$")]
    private static partial Regex PathPattern();
}
