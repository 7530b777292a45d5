using System.Security.Cryptography;
using System.Text;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Hosts;

/// <summary>
/// A host reached by running commands. File operations are done with small POSIX sh scripts whose
/// arguments are passed as positional parameters ($1, $2...), never spliced into the script text, so the
/// same code is exact and safe locally, over SSH and through nsenter. Subclasses only say how a command
/// reaches the machine.
/// </summary>
public abstract class CommandHost(ProcessRunner runner) : IHost
{
    public abstract string Key { get; }

    /// <summary>Turns a command for the target machine into the local command that runs it there.</summary>
    protected abstract ProcessSpec Translate(ProcessSpec command);

    public Task<ProcessResult> RunAsync(ProcessSpec command, CancellationToken cancellationToken) =>
        runner.RunAsync(Translate(command), cancellationToken);

    const int Missing = 3;

    const string ReadScript = """[ -f "$1" ] || exit 3; exec base64 -w0 -- "$1" """;
    const string StatScript = """[ -e "$1" ] || exit 3; exec stat -c '%a %U:%G' -- "$1" """;
    const string HashScript = """[ -f "$1" ] || exit 3; exec sha256sum -- "$1" """;
    // What a write compares with, in one round trip (over SSH each script is one): "MODE OWNER:GROUP", then "file" and
    // the content when it is a regular file.
    const string ReadWithStatScript = """
        [ -e "$1" ] || exit 3
        stat -c '%a %U:%G' -- "$1"
        [ -f "$1" ] || exit 0
        echo file
        exec base64 -w0 -- "$1"
        """;
    const string DeleteScript = """[ -e "$1" ] || [ -L "$1" ] || exit 3; exec rm -f -- "$1" """;
    // umask 077 keeps the temp file private until chmod; new parent directories get the usual 0755.
    const string WriteScript = """
        set -eu
        [ -d "${1%/*}/" ] || (umask 022; mkdir -p -- "${1%/*}/")
        umask 077
        t=$(mktemp -- "$1.cp-XXXXXX")
        trap 'rm -f -- "$t"' EXIT
        cat > "$t"
        chown -- "$3" "$t"
        chmod -- "$2" "$t"
        mv -f -- "$t" "$1"
        trap - EXIT
        """;

    public async Task<string?> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var r = await Script(ReadScript, [path], readOnly: true, cancellationToken);
        return r.ExitCode == Missing ? null : Encoding.UTF8.GetString(Convert.FromBase64String(r.Stdout.Trim()));
    }

    public async Task<FileStat?> StatAsync(string path, CancellationToken cancellationToken)
    {
        var r = await Script(StatScript, [path], readOnly: true, cancellationToken);
        return r.ExitCode == Missing ? null : StatOf(r.Stdout);
    }

    public async Task<FileChange> WriteFileAsync(FileSpec file, CancellationToken cancellationToken)
    {
        var (content, stat) = await ReadWithStatAsync(file.Path, cancellationToken);
        var change = FileChange.For(file, content, stat);
        if (change.Changed)
            await Script(WriteScript, [file.Path, file.Mode, file.Owner], readOnly: false, cancellationToken, Encoding.UTF8.GetBytes(file.Content));
        return change;
    }

    async Task<(string? Content, FileStat? Stat)> ReadWithStatAsync(string path, CancellationToken cancellationToken)
    {
        var r = await Script(ReadWithStatScript, [path], readOnly: true, cancellationToken);
        if (r.ExitCode == Missing) return (null, null);
        var lines = r.Stdout.Split('\n', 3);
        var stat = StatOf(lines[0]);
        return lines.Length == 3 && lines[1] == "file" ? (Encoding.UTF8.GetString(Convert.FromBase64String(lines[2].Trim())), stat) : (null, stat);
    }

    static FileStat StatOf(string line)
    {
        var parts = line.Trim().Split(' ', 2);
        return new FileStat(FileSpec.NormalizeMode(parts[0]), parts[1]);
    }

    public async Task<FileChange> UploadAsync(string localPath, string hostPath, string mode, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(localPath, cancellationToken);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var normalized = FileSpec.NormalizeMode(mode);
        var current = await Script(HashScript, [hostPath], readOnly: true, cancellationToken);
        var stat = await StatAsync(hostPath, cancellationToken);
        var same = current.ExitCode != Missing && current.Stdout.StartsWith(hash, StringComparison.Ordinal);
        if (same && stat?.Mode == normalized && stat.Owner == "root:root")
            return new FileChange(hostPath, FileChangeKind.Unchanged, stat.Mode, normalized, "");
        await Script(WriteScript, [hostPath, normalized, "root:root"], readOnly: false, cancellationToken, bytes);
        return new FileChange(hostPath, current.ExitCode == Missing ? FileChangeKind.Created : FileChangeKind.Modified,
            stat?.Mode, normalized, $"binary file, {bytes.Length} bytes, sha256 {hash}\n");
    }

    public async Task<FileChange> DeleteFileAsync(string path, CancellationToken cancellationToken)
    {
        var stat = await StatAsync(path, cancellationToken);
        var r = await Script(DeleteScript, [path], readOnly: false, cancellationToken);
        return new FileChange(path, r.ExitCode == Missing ? FileChangeKind.Unchanged : FileChangeKind.Deleted, stat?.Mode, null, "");
    }

    Task<ProcessResult> Script(string script, string[] args, bool readOnly, CancellationToken ct, byte[]? stdin = null) =>
        RunAsync(new ProcessSpec(["sh", "-c", script, "controlpanel", .. args])
        {
            ReadOnly = readOnly,
            CaptureStdout = true,
            Stdin = stdin,
            OkExitCodes = [0, Missing],
            Timeout = TimeSpan.FromMinutes(5),
        }, ct);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
