using System.Text.Json;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// What the engine installed of one component, kept on the host (/var/lib/controlpanel/components/NAME.json):
/// a second install compares against it to skip, and uninstall reads it to know the version (faasd's namespace)
/// and the archive whose file list says what to remove.
/// </summary>
public sealed record ComponentMarker(string Component, string Version, string Arch, string Sha256, string? Archive)
{
    /// <summary>The host paths the archive put down (listed at install, so uninstall need not unpack it again on a slow host).</summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>A marker for an archive extracted under <paramref name="root"/>; its file list read from the verified local copy (none in a preview).</summary>
    public static ComponentMarker ForArchive(string component, string version, string arch, Artifacts.VerifiedFile file, string archive, string root) =>
        new(component, version, arch, file.Sha256, archive)
        {
            Files = File.Exists(file.LocalPath) ? Artifacts.ArchiveListing.Files(file.LocalPath).Select(n => $"{root}/{n}").ToList() : null,
        };

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string PathOf(string component) => $"{StackPaths.MarkerDir}/{component}.json";

    public static async Task<ComponentMarker?> ReadAsync(StageContext context, string component)
    {
        var text = await context.ReadFileAsync(PathOf(component));
        if (text is null) return null;
        try { return JsonSerializer.Deserialize<ComponentMarker>(text, Json); }
        catch (JsonException) { return null; }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public Task<FileChange> WriteAsync(StageContext context) =>
        context.WriteFileAsync(new FileSpec(PathOf(Component), ToJson(), "0644"));

    public bool Matches(string version, string arch) => Version == version && Arch == arch;

    /// <summary>Why the component is not the wanted version on the host (null when it is), for a check's reason.</summary>
    public static async Task<UserMessage?> MismatchAsync(StageContext context, string component, string label, string version, string arch)
    {
        var marker = await ReadAsync(context, component);
        if (marker is not null && marker.Matches(version, arch)) return null;
        return marker is null
            ? NotInstalled.With(("component", label), ("version", version), ("arch", arch))
            : OtherInstalled.With(("component", label), ("version", version), ("arch", arch), ("foundVersion", marker.Version), ("foundArch", marker.Arch));
    }

    static readonly MessageTemplate NotInstalled = new("component.not-installed", "{component} {version} ({arch}) not installed");
    static readonly MessageTemplate OtherInstalled = new("component.other-installed", "{component} {version} ({arch}) not installed; found {foundVersion} ({foundArch})");
}
