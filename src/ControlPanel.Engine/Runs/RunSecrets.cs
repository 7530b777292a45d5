using System.Text.Json;
using ControlPanel.Engine.Files;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// A run's secret inputs (e.g. the faasd password) live in DATA/secrets/run-ID.json, mode 0600, not in the
/// database, so that a resume in another process has them and no query or log ever shows them.
/// </summary>
public sealed class RunSecrets(string dataDirectory)
{
    readonly string dir = Path.Combine(dataDirectory, "secrets");

    string PathOf(long runId) => Path.Combine(dir, $"run-{runId}.json");

    public void Save(long runId, IReadOnlyDictionary<string, string> secrets)
    {
        AtomicFile.EnsureDirectory(dir, AtomicFile.PrivateDirectory);
        AtomicFile.Write(PathOf(runId), JsonSerializer.Serialize(secrets), AtomicFile.Private);
    }

    public IReadOnlyDictionary<string, string> Load(long runId) =>
        File.Exists(PathOf(runId))
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(PathOf(runId))) ?? new()
            : new Dictionary<string, string>();

    public void Delete(long runId) => File.Delete(PathOf(runId));
}
