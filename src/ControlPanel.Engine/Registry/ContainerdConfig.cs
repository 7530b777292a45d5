using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.HostConfig.Toml;

namespace ControlPanel.Engine.Registry;

/// <summary>
/// containerd's /etc/containerd/config.toml, as far as registries go: where the CRI plugin's registry table is
/// (by the file's config version), the config_path key that points containerd 1.5+ at per-registry hosts.toml files,
/// and the mirrors table older releases read instead.
/// </summary>
public static class ContainerdConfig
{
    public const string DefaultHostsDir = "/etc/containerd/certs.d";
    public static readonly ConfigFile File = new("/etc/containerd/config.toml", "TOML");

    /// <summary>The registry table's path: config version 3 (containerd 2), 2 (1.3+), or 1 (a file without a version key); a new file is version 2.</summary>
    public static string[] RegistryTable(TomlDocument? doc) => (doc is null ? 2 : doc.Get("version")?.Integer ?? 1) switch
    {
        >= 3 => ["plugins", "io.containerd.cri.v1.images", "registry"],
        2 => ["plugins", "io.containerd.grpc.v1.cri", "registry"],
        _ => ["plugins", "cri", "registry"],
    };

    /// <summary>A file we create is version 2, which every containerd since 1.3 reads.</summary>
    const string NewFile = "version = 2\n";

    static ConfigSlot Key(string name, Func<TomlDocument?, string[]> path) =>
        new(name, text => ReadKey(text, path), (text, value) => WriteKey(text, value, path));

    static string? ReadKey(string? text, Func<TomlDocument?, string[]> path)
    {
        if (text is null) return null;
        var doc = TomlDocument.Parse(text);
        return doc.Get(path(doc))?.Text;
    }

    static string? WriteKey(string? text, string? value, Func<TomlDocument?, string[]> path)
    {
        var doc = TomlDocument.Parse(text ?? NewFile);
        if (value is not null) return doc.Set(path(doc), value);
        return text is null ? null : doc.Remove(path(doc));
    }

    public static readonly ConfigSlot ConfigPath = Key("config_path", doc => [.. RegistryTable(doc), "config_path"]);

    /// <summary>The endpoint list of one registry in the old mirrors table.</summary>
    public static ConfigSlot LegacyMirror(string registry) =>
        Key($"mirrors \"{registry}\"", doc => [.. RegistryTable(doc), "mirrors", registry, "endpoint"]);

    /// <summary>Registries with an endpoint list in the old mirrors table, and the list.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LegacyMirrors(TomlDocument doc)
    {
        var table = RegistryTable(doc);
        string[] mirrors = [.. table, "mirrors"];
        return doc.Under(mirrors)
            .Where(e => e.Path.Count == mirrors.Length + 2 && e.Path[^1] == "endpoint")
            .ToDictionary(e => e.Path[mirrors.Length], e => e.Value.Strings, StringComparer.Ordinal);
    }

    /// <summary>The first folder of config_path, or null when it is unset or empty.</summary>
    public static string? HostsDir(TomlDocument doc) =>
        doc.Get([.. RegistryTable(doc), "config_path"])?.String is { Length: > 0 } value ? value.Split(':')[0] : null;

    /// <summary>hosts.toml of a registry: its mirrors in order, then the registry itself as the fallback.</summary>
    public static string HostsToml(string registry, IEnumerable<string> mirrors)
    {
        var text = $"# Written by ControlPanel (controlpanel mirrors set): mirrors of {registry}, tried in order before the registry itself.\n" +
                   $"# `controlpanel mirrors reset` puts back what was here before.\n" +
                   $"server = {TomlValue.Quote(RegistryInputs.Server(registry))}\n";
        foreach (var mirror in mirrors)
            text += $"\n[host.{TomlValue.Quote(mirror)}]\n  capabilities = [\"pull\", \"resolve\"]\n";
        return text;
    }

    public static string HostsTomlPath(string hostsDir, string registry) => $"{hostsDir}/{registry}/hosts.toml";

    public static ConfigFile HostsFile(string hostsDir, string registry) =>
        new(HostsTomlPath(hostsDir, registry), "TOML") { Folders = [$"{hostsDir}/{registry}", hostsDir] };

    /// <summary>The mirrors a hosts.toml lists ([host."URL"] tables, in order).</summary>
    public static IReadOnlyList<string> HostsTomlMirrors(string text) =>
        TomlDocument.Parse(text).Tables.Where(t => t.Path.Count == 2 && t.Path[0] == "host").Select(t => t.Path[1]).ToList();
}
