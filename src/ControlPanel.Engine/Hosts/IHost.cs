using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Hosts;

/// <summary>
/// The machine a plan changes. Every stage is written against this interface only, so the same stage
/// runs on this machine, on a remote one over SSH, inside a container on its host, or as a dry run.
/// </summary>
public interface IHost : IAsyncDisposable
{
    /// <summary>Identity of the machine, used for the one-mutating-run-per-host lock (e.g. "local", "ssh:root@10.0.0.5:22").</summary>
    string Key { get; }

    /// <summary>Runs a command; throws <see cref="CommandFailedException"/> on an exit code not in OkExitCodes.</summary>
    Task<ProcessResult> RunAsync(ProcessSpec command, CancellationToken cancellationToken);

    /// <summary>The file's text, or null when it does not exist.</summary>
    Task<string?> ReadFileAsync(string path, CancellationToken cancellationToken);

    /// <summary>Owner, group and mode of a path, or null when it does not exist.</summary>
    Task<FileStat?> StatAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes atomically (temp file + rename) with the given owner and mode; reports the change, none if already so.</summary>
    Task<FileChange> WriteFileAsync(FileSpec file, CancellationToken cancellationToken);

    /// <summary>Copies a local file (an artifact) to the host atomically.</summary>
    Task<FileChange> UploadAsync(string localPath, string hostPath, string mode, CancellationToken cancellationToken);

    Task<FileChange> DeleteFileAsync(string path, CancellationToken cancellationToken);
}
