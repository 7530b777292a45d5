using System.Text.Json;
using ControlPanel.Engine.Files;

namespace ControlPanel.Engine.Snapshots;

/// <summary>
/// Snapshots under DATA/snapshots, one per host: HOST.json is taken before the install, HOST.previous.json
/// keeps it once an uninstall came out clean (so a second uninstall still compares against it), and
/// HOST.leftovers.txt is the last uninstall's report.
/// </summary>
public sealed class SnapshotStore(string dataDirectory)
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Directory => Path.Combine(dataDirectory, "snapshots");

    public string CurrentPath(string host) => Path.Combine(Directory, Safe(host) + ".json");
    public string PreviousPath(string host) => Path.Combine(Directory, Safe(host) + ".previous.json");
    public string ReportPath(string host) => Path.Combine(Directory, Safe(host) + ".leftovers.txt");

    public HostSnapshot? Current(string host) => Load(CurrentPath(host));

    /// <summary>The snapshot an uninstall compares against: the install's, or the one kept from a clean uninstall.</summary>
    public HostSnapshot? Baseline(string host) => Current(host) ?? Load(PreviousPath(host));

    public void Save(HostSnapshot snapshot) =>
        AtomicFile.Write(CurrentPath(snapshot.Host), JsonSerializer.Serialize(snapshot, Json), AtomicFile.Private);

    public void Retire(string host)
    {
        if (File.Exists(CurrentPath(host))) File.Move(CurrentPath(host), PreviousPath(host), overwrite: true);
    }

    public void WriteReport(string host, string text) => AtomicFile.Write(ReportPath(host), text, AtomicFile.Private);

    static HostSnapshot? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<HostSnapshot>(File.ReadAllText(path), Json) : null;

    static string Safe(string host) => string.Concat(host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
}
