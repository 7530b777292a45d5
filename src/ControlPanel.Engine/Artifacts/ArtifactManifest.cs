using System.Text.Json.Serialization;
using System.Text.Json;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Artifacts;

/// <summary>
/// The versions manifest (versions.json, embedded): which component versions each profile pins, and for
/// each version its files per architecture, where they come from and how they are verified.
/// </summary>
public sealed class ArtifactManifest
{
    static readonly MessageTemplate NotAManifest = new("input.not-versions-manifest", "is not a valid versions manifest: {error}");

    public const string Containerd = "containerd";
    public const string CniPlugins = "cni-plugins";
    public const string Faasd = "faasd";
    public const string FaasdBundle = "faasd-bundle";

    public static readonly string[] Architectures = ["amd64", "arm64"];

    [JsonPropertyName("defaultProfile")] public string DefaultProfile { get; init; } = "";
    [JsonPropertyName("profiles")] public Dictionary<string, Dictionary<string, string>> Profiles { get; init; } = new();
    [JsonPropertyName("components")] public Dictionary<string, ComponentEntry> Components { get; init; } = new();

    public sealed class ComponentEntry
    {
        [JsonPropertyName("upstream")] public string Upstream { get; init; } = "";
        [JsonPropertyName("mirror")] public string Mirror { get; init; } = "";
        [JsonPropertyName("releases")] public Dictionary<string, ReleaseEntry> Releases { get; init; } = new();
    }

    public sealed class ReleaseEntry
    {
        [JsonPropertyName("artifacts")] public List<FileEntry> Artifacts { get; init; } = new();
        [JsonPropertyName("unsupported")] public Dictionary<string, string> Unsupported { get; init; } = new();
        [JsonPropertyName("coreNamespace")] public string? CoreNamespace { get; init; }
        [JsonPropertyName("ipamState")] public string? IpamState { get; init; }
        [JsonPropertyName("eula")] public string? Eula { get; init; }
    }

    public sealed class FileEntry
    {
        [JsonPropertyName("arch")] public string Arch { get; init; } = "";
        [JsonPropertyName("file")] public string File { get; init; } = "";
        [JsonPropertyName("sha256")] public string? Sha256 { get; init; }
        [JsonPropertyName("checksumFile")] public string? ChecksumFile { get; init; }
    }

    static readonly Lazy<ArtifactManifest> Embedded = new(() =>
    {
        using var stream = typeof(ArtifactManifest).Assembly.GetManifestResourceStream("ControlPanel.Engine.Artifacts.versions.json")
            ?? throw new InvalidOperationException("versions.json is not embedded in the engine assembly");
        return Parse(stream);
    });

    /// <summary>The manifest shipped with this build.</summary>
    public static ArtifactManifest Default => Embedded.Value;

    /// <summary>A manifest file given by the user; a bad one is an input error naming the field.</summary>
    public static ArtifactManifest Load(string field, string path)
    {
        if (!File.Exists(path)) throw new InputException(field, path, InputReasons.DoesNotExist.Message());
        try
        {
            using var stream = File.OpenRead(path);
            return Parse(stream);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InputException(field, path, NotAManifest.With(("error", e.Message)));
        }
    }

    public static ArtifactManifest Parse(Stream json)
    {
        var manifest = JsonSerializer.Deserialize<ArtifactManifest>(json) ?? throw new InvalidDataException("versions manifest is empty");
        manifest.Validate();
        return manifest;
    }

    /// <summary>A manifest that names a version it does not describe, or a malformed hash, is a build error: fail on load.</summary>
    void Validate()
    {
        if (!Profiles.ContainsKey(DefaultProfile)) throw new InvalidDataException($"default profile {DefaultProfile} is not defined");
        foreach (var (profile, versions) in Profiles)
            foreach (var (component, version) in versions)
                if (!Components.TryGetValue(component, out var c) || !c.Releases.ContainsKey(version))
                    throw new InvalidDataException($"profile {profile} pins {component} {version}, which the manifest does not describe");
        foreach (var (name, c) in Components)
            foreach (var (version, r) in c.Releases)
                foreach (var f in r.Artifacts)
                {
                    if (f.Sha256 is not null && (f.Sha256.Length != 64 || !f.Sha256.All(Uri.IsHexDigit)))
                        throw new InvalidDataException($"{name} {version} {f.File}: sha256 is not 64 hex digits");
                    if (f.Arch != "any" && !Architectures.Contains(f.Arch))
                        throw new InvalidDataException($"{name} {version} {f.File}: unknown arch {f.Arch}");
                }
    }

    public string VersionOf(string profile, string component) =>
        Profiles.TryGetValue(profile, out var p) && p.TryGetValue(component, out var v)
            ? v
            : throw new KeyNotFoundException($"profile {profile} does not pin {component}");

    public ReleaseEntry Release(string component, string version) => Components[component].Releases[version];

    /// <summary>Why a component version cannot be installed on an architecture (null when it can).</summary>
    public string? UnsupportedReason(string component, string version, string arch)
    {
        var release = Release(component, version);
        if (release.Unsupported.TryGetValue(arch, out var why)) return why;
        return release.Artifacts.Any(f => f.Arch == arch || f.Arch == "any")
            ? null
            : $"{component} {version} has no build for {arch}";
    }

    /// <summary>The files of one component version for one architecture (arch-independent files included).</summary>
    public IReadOnlyList<Artifact> Resolve(string component, string version, string arch)
    {
        if (UnsupportedReason(component, version, arch) is { } why) throw new ArgumentException(why);
        var c = Components[component];
        return c.Releases[version].Artifacts
            .Where(f => f.Arch == arch || f.Arch == "any")
            .Select(f => new Artifact(component, version, f.File, new Uri(Expand(c.Upstream, version, f.File)),
                Expand(c.Mirror, version, f.File), f.Sha256?.ToLowerInvariant(), f.ChecksumFile, c.Upstream, c.Mirror))
            .ToList();
    }

    /// <summary>Every path a download mirror must serve, relative to its base (what a mirror builder lays out).</summary>
    public IEnumerable<string> MirrorLayout()
    {
        foreach (var (name, c) in Components)
            foreach (var (version, r) in c.Releases)
                foreach (var f in r.Artifacts)
                {
                    yield return Expand(c.Mirror, version, f.File);
                    if (f.ChecksumFile is not null) yield return Expand(c.Mirror, version, f.ChecksumFile);
                }
    }

    internal static string Expand(string pattern, string version, string file) =>
        pattern.Replace("{version}", version).Replace("{file}", file);
}
