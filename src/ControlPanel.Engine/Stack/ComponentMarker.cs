using System.Text.Json;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// What the engine installed of one component, kept on the host (/var/lib/controlpanel/components/NAME.json):
/// a second install compares against it to skip, and uninstall reads it to know the version (faasd's namespace)
/// and the archive whose file list says what to remove.
/// </summary>
public sealed record ComponentMarker(string Component, string Version, string Arch, string Sha256, string? Archive)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

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
}
