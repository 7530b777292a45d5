using System.Text.Json;
using ControlPanel.Engine.Files;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// A run's secret inputs (e.g. the faasd password) live in DATA/secrets/run-ID.json, mode 0600, not in the
/// database, so that a resume in another process has them and no query or log ever shows them. A batch's
/// secrets live beside them in batch-ID.json, for its hosts that start later (`rerun --batch ID --failed`).
/// </summary>
public sealed class RunSecrets(string dataDirectory)
{
    readonly string dir = Path.Combine(dataDirectory, "secrets");

    static string RunFile(long runId) => $"run-{runId}.json";
    static string BatchFile(long batchId) => $"batch-{batchId}.json";

    public void Save(long runId, IReadOnlyDictionary<string, string> secrets) => Write(RunFile(runId), secrets);
    public IReadOnlyDictionary<string, string> Load(long runId) => Read(RunFile(runId));
    public void Delete(long runId) => File.Delete(Path.Combine(dir, RunFile(runId)));

    public void SaveBatch(long batchId, IReadOnlyDictionary<string, string> secrets) => Write(BatchFile(batchId), secrets);
    public IReadOnlyDictionary<string, string> LoadBatch(long batchId) => Read(BatchFile(batchId));

    void Write(string file, IReadOnlyDictionary<string, string> secrets)
    {
        if (secrets.Count == 0) return;
        AtomicFile.EnsureDirectory(dir, AtomicFile.PrivateDirectory);
        AtomicFile.Write(Path.Combine(dir, file), JsonSerializer.Serialize(secrets), AtomicFile.Private);
    }

    IReadOnlyDictionary<string, string> Read(string file) =>
        File.Exists(Path.Combine(dir, file))
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(dir, file))) ?? new()
            : new Dictionary<string, string>();
}
