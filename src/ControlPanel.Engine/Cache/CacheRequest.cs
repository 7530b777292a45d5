using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Cache;

/// <summary>
/// A pull-through cache on this host (seed 000): the upstream it caches (Docker Hub, or another cache: cascading),
/// where it listens and where it keeps what it pulled; or its uninstall. Validated at the edge.
/// </summary>
public sealed partial record CacheRequest(string Upstream, string Listen, string Storage) : PlanRequest
{
    static readonly MessageTemplate RootUrl = new("input.cache-root-url", "must be the registry's root URL (no path): a cache mirrors one whole registry");
    static readonly MessageTemplate UserShape = new("input.cache-username", "must be letters, digits and . _ @ + - (at most 128)");
    static readonly MessageTemplate AccountBoth = new("input.cache-account-both", "is required with the other: the upstream account needs both");
    static readonly MessageTemplate ListenShape = new("input.cache-listen", "must be host:port or :port");
    static readonly MessageTemplate StoragePath = new("input.cache-storage-path", "must be an absolute path of letters, digits and - _ . /");
    static readonly MessageTemplate SystemFolder = new("input.cache-system-folder", "is a system folder; give the cache its own folder");

    public const string InstallKind = "cache-install";
    public const string UninstallKind = "cache-uninstall";
    public const string DefaultListen = ":5000";
    /// <summary>Where Debian's docker-registry keeps its data (the package creates it for its user).</summary>
    public const string DefaultStorage = "/var/lib/docker-registry";

    /// <summary>The cache's uninstall, not its install.</summary>
    public bool Uninstalling { get; init; }

    /// <summary>Uninstall only: keep the cached images.</summary>
    public bool KeepData { get; init; }

    public override string PlanKind => Uninstalling ? UninstallKind : InstallKind;

    /// <summary>An account at the upstream (seed 000's cache logged in to its mirror); the password is a secret.</summary>
    public string? UpstreamUsername { get; init; }
    public string? UpstreamPassword { get; init; }

    public bool HasCredentials => UpstreamUsername is not null;

    public static CacheRequest Parse(string? upstream, string? listen, string? storage, string? username = null, string? password = null)
    {
        var errors = new InputErrors();
        var url = errors.Check(() =>
        {
            var url = RegistryInputs.RequireMirror("upstream", string.IsNullOrWhiteSpace(upstream) ? RegistryInputs.DockerHubServer : upstream);
            return new Uri(url).AbsolutePath == "/" ? url : throw new InputException("upstream", upstream, RootUrl.Message());
        });
        var user = string.IsNullOrWhiteSpace(username) ? null : username.Trim();
        errors.Check(() => user is not null && !UserPattern().IsMatch(user) ? throw new InputException("upstreamUsername", username, UserShape.Message()) : user);
        errors.Check(() => (user is null) != (password is null)
            ? throw new InputException(user is null ? "upstreamUsername" : "upstreamPassword", null, AccountBoth.Message())
            : password is null ? null : Inputs.RequirePassword("upstreamPassword", password));
        var address = errors.Check(() => RequireListen("listen", listen));
        var folder = errors.Check(() => RequireStorage("storage", storage));
        errors.ThrowIfAny();
        return new CacheRequest(url!, address!, folder!) { UpstreamUsername = user, UpstreamPassword = password };
    }

    /// <summary>host:port or :port (every address).</summary>
    public static string RequireListen(string field, string? value)
    {
        var v = string.IsNullOrWhiteSpace(value) ? DefaultListen : value.Trim();
        var m = ListenPattern().Match(v);
        if (!m.Success) throw new InputException(field, value, ListenShape.Message());
        if (m.Groups["host"].Value is { Length: > 0 } host && !HostName.IsValidOrAddress(host))
            throw new InputException(field, value, InputReasons.NotHostOrIp.Message());
        if (int.Parse(m.Groups["port"].Value) is < 1 or > 65535) throw new InputException(field, value, InputReasons.PortOutside.Message());
        return v;
    }

    public static string RequireStorage(string field, string? value)
    {
        var v = string.IsNullOrWhiteSpace(value) ? DefaultStorage : value.Trim().TrimEnd('/');
        if (!StoragePattern().IsMatch(v) || v.Split('/').Any(s => s is "." or ".."))
            throw new InputException(field, value, StoragePath.Message());
        if (v is "/" or "/etc" or "/usr" or "/var" or "/var/lib" or "/home" or "/root")
            throw new InputException(field, value, SystemFolder.Message());
        return v;
    }

    static readonly MessageTemplate OpenToEveryone = new("cache.open-to-network",
        "the cache listens on every interface: any machine that reaches port {port} of this host can pull through it{account}. " +
        "Listen on 127.0.0.1:{port} if only this host pulls, or allow only your hosts to port {port} in the firewall");
    static readonly MessageTemplate WithTheAccount = new("cache.open-with-account", ", on the upstream account");

    /// <summary>
    /// The default (":5000") serves every interface, as a cache for other hosts must; said plainly wherever a cache is
    /// about to be installed (the CLI's dry run and run, the panel's form and preview), since nothing else keeps strangers out.
    /// </summary>
    public UserMessage? Exposure => IsOpenToEveryone(Listen)
        ? OpenToEveryone.With(("port", Port), ("account", HasCredentials ? WithTheAccount.Message() : UserMessage.Verbatim("")))
        : null;

    /// <summary>":PORT", "0.0.0.0:PORT", "[::]:PORT": not one address.</summary>
    public static bool IsOpenToEveryone(string listen) => listen[..listen.LastIndexOf(':')] is "" or "0.0.0.0" or "[::]" or "::";

    /// <summary>The port clients use, for the "point your mirrors here" hint.</summary>
    public int Port => int.Parse(Listen[(Listen.LastIndexOf(':') + 1)..]);

    public override StoredRequest Store() => new(PlanKind,
        new Dictionary<string, string>
        {
            ["upstream"] = Upstream, ["listen"] = Listen, ["storage"] = Storage, ["keepData"] = KeepData ? "true" : "false",
            ["upstreamUsername"] = UpstreamUsername ?? "",
        },
        UpstreamPassword is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["upstreamPassword"] = UpstreamPassword });

    public static CacheRequest From(StoredRequest r) =>
        Parse(r.Input("upstream"), r.Input("listen"), r.Input("storage"), r.Input("upstreamUsername"), r.Secret("upstreamPassword"))
            with { KeepData = r.Input("keepData") == "true", Uninstalling = r.Kind == UninstallKind };

    [GeneratedRegex(@"^(?<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):(?<port>[0-9]{1,5})$")] private static partial Regex ListenPattern();
    [GeneratedRegex(@"^/[A-Za-z0-9._/-]+$")] private static partial Regex StoragePattern();
    [GeneratedRegex(@"^[A-Za-z0-9._@+-]{1,128}$")] private static partial Regex UserPattern();
}
