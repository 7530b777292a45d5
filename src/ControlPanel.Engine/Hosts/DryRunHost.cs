using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Hosts;

/// <summary>One thing a dry run would do: a command, or a file change with its diff.</summary>
public sealed record DryRunAction(string? Command, FileChange? File)
{
    public override string ToString() => Command is not null ? "$ " + Command : File!.Summary;
}

/// <summary>
/// Records what a plan would change instead of changing it. Probes (read-only commands) and reads go to
/// the real machine behind it, so checks see the truth and diffs are against what is really there;
/// files "written" earlier in the same dry run are seen by later reads.
/// </summary>
public sealed class DryRunHost(IHost real) : IHost
{
    readonly Dictionary<string, (string? Content, FileStat? Stat)> overlay = new();
    readonly List<DryRunAction> actions = new();
    readonly object gate = new();

    public string Key => real.Key;
    public IHost Real => real;

    public IReadOnlyList<DryRunAction> Actions { get { lock (gate) return actions.ToArray(); } }

    /// <summary>Takes the actions recorded since the last call (one stage's worth).</summary>
    public IReadOnlyList<DryRunAction> Drain()
    {
        lock (gate)
        {
            var taken = actions.ToArray();
            actions.Clear();
            return taken;
        }
    }

    public Task<ProcessResult> RunAsync(ProcessSpec command, CancellationToken cancellationToken)
    {
        if (command.ReadOnly) return real.RunAsync(command, cancellationToken);
        Record(new DryRunAction(ArgvFormat.Display(command.Argv), null));
        return Task.FromResult(new ProcessResult(0, "", [], TimeSpan.Zero));
    }

    public Task<string?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        lock (gate)
            if (overlay.TryGetValue(path, out var o)) return Task.FromResult(o.Content);
        return real.ReadFileAsync(path, cancellationToken);
    }

    public Task<FileStat?> StatAsync(string path, CancellationToken cancellationToken)
    {
        lock (gate)
            if (overlay.TryGetValue(path, out var o)) return Task.FromResult(o.Stat);
        return real.StatAsync(path, cancellationToken);
    }

    public async Task<FileChange> WriteFileAsync(FileSpec file, CancellationToken cancellationToken)
    {
        var change = FileChange.For(file, await ReadFileAsync(file.Path, cancellationToken), await StatAsync(file.Path, cancellationToken));
        if (change.Changed)
        {
            lock (gate) overlay[file.Path] = (file.Content, new FileStat(file.Mode, file.Owner));
            Record(new DryRunAction(null, change));
        }
        return change;
    }

    public async Task<FileChange> UploadAsync(string localPath, string hostPath, string mode, CancellationToken cancellationToken)
    {
        var info = new FileInfo(localPath);
        var exists = await StatAsync(hostPath, cancellationToken) is not null;
        var change = new FileChange(hostPath, exists ? FileChangeKind.Modified : FileChangeKind.Created, null,
            FileSpec.NormalizeMode(mode), $"binary file from {localPath} ({(info.Exists ? info.Length : 0)} bytes)\n");
        Record(new DryRunAction(null, change));
        return change;
    }

    public async Task<FileChange> DeleteFileAsync(string path, CancellationToken cancellationToken)
    {
        var stat = await StatAsync(path, cancellationToken);
        if (stat is null) return new FileChange(path, FileChangeKind.Unchanged, null, null, "");
        lock (gate) overlay[path] = (null, null);
        var change = new FileChange(path, FileChangeKind.Deleted, stat.Mode, null, "");
        Record(new DryRunAction(null, change));
        return change;
    }

    void Record(DryRunAction action) { lock (gate) actions.Add(action); }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
