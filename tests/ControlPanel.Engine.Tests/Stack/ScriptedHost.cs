using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>
/// A host made of a table: files, folders and answers to read-only commands. It stands in for a real machine
/// only where the test is about the engine's decisions (golden dry runs, check logic); it refuses any command
/// that would change something and any probe nobody scripted, so a plan cannot silently depend on an answer
/// the table does not give.
/// </summary>
public sealed class ScriptedHost : IHost
{
    readonly Dictionary<string, string> files = new(StringComparer.Ordinal);
    readonly HashSet<string> dirs = new(StringComparer.Ordinal);
    readonly List<Func<IReadOnlyList<string>, ProcessResult?>> handlers = new();

    /// <summary>"local" makes it stand in for this machine (some checks differ for a remote host).</summary>
    public string Key { get; set; } = "scripted";
    public List<string> Probes { get; } = new();

    public ScriptedHost()
    {
        // The batched file probes are answered from the table itself (no mount points here).
        When(argv => argv is ["sh", "-c", ControlPanel.Engine.HostOps.HostFiles.ExistsScript, _, ..]
            ? Result(0, string.Concat(argv.Skip(4).Where(p => files.ContainsKey(p) || dirs.Contains(p)).Select(p => p + "\n"))) : null);
        When(argv => argv is ["sh", "-c", ControlPanel.Engine.HostOps.HostFiles.EmptyDirsScript, _, ..]
            ? Result(0, string.Concat(argv.Skip(4).Where(d => dirs.Contains(d) && !files.Keys.Concat(dirs).Any(p => p.StartsWith(d + "/", StringComparison.Ordinal))).Select(d => d + "\n"))) : null);
        When(argv => argv is ["systemctl", "show", _, "--", ..] ? Result(0, string.Join("\n\n", argv.Skip(4).Select(UnitBlock)) + "\n") : null);
    }

    /// <summary>A unit's `systemctl show` block, from the table's answers to `systemctl cat`, `is-active` and `is-enabled`.</summary>
    string UnitBlock(string unit)
    {
        bool Yes(params string[] argv) => (handlers.Select(h => h(argv)).FirstOrDefault(r => r is not null)
            ?? throw new InvalidOperationException("unscripted probe: " + ArgvFormat.Display(argv))).ExitCode == 0;
        if (!Yes("systemctl", "cat", "--", unit)) return "LoadState=not-found\nActiveState=inactive\nUnitFileState=";
        return $"LoadState=loaded\nActiveState={(Yes("systemctl", "is-active", "--quiet", unit) ? "active" : "inactive")}\n" +
               $"UnitFileState={(Yes("systemctl", "is-enabled", "--quiet", unit) ? "enabled" : "disabled")}";
    }

    public ScriptedHost File(string path, string content) { files[path] = content; return this; }
    public ScriptedHost Dir(string path) { dirs.Add(path); return this; }
    public ScriptedHost Without(string path) { files.Remove(path); dirs.Remove(path); return this; }

    /// <summary>Answers a command given exactly as argv.</summary>
    public ScriptedHost On(string command, int exitCode, string stdout = "") =>
        When(argv => ArgvFormat.Display(argv) == command ? Result(exitCode, stdout) : null);

    /// <summary>Answers every command whose display starts with <paramref name="prefix"/>.</summary>
    public ScriptedHost OnPrefix(string prefix, int exitCode, string stdout = "") =>
        When(argv => ArgvFormat.Display(argv).StartsWith(prefix, StringComparison.Ordinal) ? Result(exitCode, stdout) : null);

    /// <summary>Later rules win, so a base table can be specialised.</summary>
    public ScriptedHost When(Func<IReadOnlyList<string>, ProcessResult?> handler) { handlers.Insert(0, handler); return this; }

    public static ProcessResult Result(int exitCode, string stdout = "") => new(exitCode, stdout, [], TimeSpan.Zero);

    public Task<ProcessResult> RunAsync(ProcessSpec command, CancellationToken cancellationToken)
    {
        var display = ArgvFormat.Display(command.Argv);
        if (!command.ReadOnly) throw new InvalidOperationException("a scripted host changes nothing; this command is not a probe: " + display);
        // Side by side when a check asks several questions at once.
        lock (Probes) Probes.Add(display);
        foreach (var h in handlers)
            if (h(command.Argv) is { } r)
                return command.OkExitCodes.Contains(r.ExitCode)
                    ? Task.FromResult(r)
                    : throw new CommandFailedException(command.Argv, r.ExitCode, r.StderrTail);
        throw new InvalidOperationException("unscripted probe: " + display);
    }

    public Task<string?> ReadFileAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(files.TryGetValue(path, out var c) ? c : null);

    public Task<FileStat?> StatAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<FileStat?>(files.ContainsKey(path) ? new FileStat("0644", "root:root") : dirs.Contains(path) ? new FileStat("0755", "root:root") : null);

    public Task<FileChange> WriteFileAsync(FileSpec file, CancellationToken cancellationToken) => throw Refuse(file.Path);
    public Task<FileChange> UploadAsync(string localPath, string hostPath, string mode, CancellationToken cancellationToken) => throw Refuse(hostPath);
    public Task<FileChange> DeleteFileAsync(string path, CancellationToken cancellationToken) => throw Refuse(path);

    static InvalidOperationException Refuse(string path) => new("a scripted host changes nothing; use it behind a DryRunHost: " + path);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
