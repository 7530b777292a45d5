using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Cache;

/// <summary>
/// /etc/docker/registry/config.yml of Debian's docker-registry in proxy mode. The values are validated at the edge
/// (URLs, addresses, paths with no quotes or newlines), so they go into double-quoted YAML strings as they are.
/// No auth section: the clients of a mirror pull anonymously (Debian's default points htpasswd at a folder).
/// </summary>
public static class RegistryCacheConfig
{
    public const string Path = "/etc/docker/registry/config.yml";
    public static readonly ConfigFile File = new(Path, "YAML");
    /// <summary>The engine owns the whole file: install writes it, uninstall puts back the packaged one.</summary>
    public static readonly ConfigSlot Whole = ConfigSlot.WholeFile("config.yml");

    /// <summary>With an upstream password the file is a secret: readable by the registry's group only, never shown in a diff.</summary>
    public static ConfigFile FileFor(bool credentials) =>
        credentials ? new ConfigFile(Path, "YAML", "0640", Secret: true, Owner: "root:docker-registry") : File;

    /// <summary>Whether a config text carries an upstream password (ours, or the user's).</summary>
    public static bool HasPassword(string? text) => text is not null && text.Contains("\n  password:", StringComparison.Ordinal);
    public const string Unit = "docker-registry";
    public const string Package = "docker-registry";

    /// <summary>
    /// Debian 12's docker-registry 2.8.2 has no proxy.ttl (that came with the 2.8 backport after it and with 3.0):
    /// its scheduler deletes each pulled blob and manifest 7 days after it was cached, and a tag is asked of the
    /// upstream at every pull while it answers, so updated tags show up at once.
    /// </summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromDays(7);

    static readonly MessageTemplate ExpiryTemplate = new("cache.expiry",
        "cached content is deleted {days} days after it was pulled (fixed in docker-registry 2.8; tags are re-checked upstream at each pull while it answers)");
    public static UserMessage ExpiryMessage => ExpiryTemplate.With(("days", Expiry.TotalDays.ToString("0")));
    public static string ExpiryPolicy => ExpiryMessage.Text;

    /// <summary>How a config.yml we wrote begins (uninstall and the status read only such a file).</summary>
    public const string Header = "# Written by ControlPanel";

    public static string Render(CacheRequest request) => $"""
        {Header} (controlpanel cache install): a pull-through cache of {request.Upstream}.
        # Expiry: {ExpiryPolicy}.
        # `controlpanel cache uninstall` puts back the packaged file.
        version: 0.1
        log:
          fields:
            service: registry
        storage:
          cache:
            blobdescriptor: inmemory
          filesystem:
            rootdirectory: "{request.Storage}"
          delete:
            enabled: true
        http:
          addr: "{request.Listen}"
          headers:
            X-Content-Type-Options: [nosniff]
        health:
          storagedriver:
            enabled: true
            interval: 10s
            threshold: 3
        proxy:
          remoteurl: "{request.Upstream}"
        {Credentials(request)}
        """;

    static string Credentials(CacheRequest request) => request.HasCredentials
        ? $"  username: {Quote(request.UpstreamUsername!)}\n  password: {Quote(request.UpstreamPassword!)}\n"
        : "";

    /// <summary>A YAML double-quoted scalar (control characters are refused at the edge).</summary>
    static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
