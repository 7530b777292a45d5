using System.Text.Json;
using ControlPanel.Engine.HostConfig;

namespace ControlPanel.Engine.Registry;

/// <summary>Docker's /etc/docker/daemon.json and the one key of it we own, registry-mirrors (Docker Hub mirrors only).</summary>
public static class DockerDaemonConfig
{
    public const string Key = "registry-mirrors";
    public static readonly ConfigFile File = new("/etc/docker/daemon.json", "JSON");

    public static readonly ConfigSlot Mirrors = new(Key,
        text => string.IsNullOrWhiteSpace(text) ? null : JsonMembers.Parse(text).Get(Key),
        (text, value) => (text, value) switch
        {
            (null, null) => null,
            (_, null) => JsonMembers.Parse(text!).Remove(Key),
            _ when string.IsNullOrWhiteSpace(text) => JsonMembers.NewFile(Key, value!),
            _ => JsonMembers.Parse(text!).Set(Key, value!),
        });

    public static string Value(IEnumerable<string> mirrors) => JsonSerializer.Serialize(mirrors.ToArray());

    /// <summary>The mirrors a daemon.json text lists (empty when none or when the key is not a list of strings).</summary>
    public static IReadOnlyList<string> Read(string? text) =>
        Mirrors.Read(text) is { } json && JsonSerializer.Deserialize<JsonElement>(json) is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
