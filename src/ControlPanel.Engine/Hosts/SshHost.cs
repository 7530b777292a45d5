using System.Security.Cryptography;
using System.Text;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Hosts;

/// <summary>How an unknown host key is treated. Strict is the default: the key must already be known.</summary>
public enum HostKeyPolicy { Strict, AcceptNew }

public sealed record SshOptions
{
    public string? IdentityFile { get; init; }
    public string? KnownHostsFile { get; init; }
    public HostKeyPolicy HostKeys { get; init; } = HostKeyPolicy.Strict;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// A remote machine through the system OpenSSH client. One control master per target carries every
/// command, so the ~100 commands of a plan do not each pay for a handshake. Key auth only (BatchMode):
/// the engine never types passwords.
/// </summary>
public sealed class SshHost(SshTarget target, SshOptions options, ProcessRunner? runner = null)
    : CommandHost(runner ?? ProcessRunner.Default)
{
    readonly ProcessRunner runner = runner ?? ProcessRunner.Default;
    readonly string controlPath = ControlSocket(target);

    public SshTarget Target => target;
    public override string Key => $"ssh:{target.User}@{target.Address}:{target.Port}";

    protected override ProcessSpec Translate(ProcessSpec command)
    {
        var remote = NsenterHost.Wrap([], command);
        // ssh joins its trailing arguments into one line for the remote shell: hand it one, quoted argument by argument.
        return remote with { Argv = [.. BaseArgs(), "--", ArgvFormat.Display(remote.Argv)] };
    }

    List<string> BaseArgs()
    {
        var args = new List<string>
        {
            "ssh", "-o", "BatchMode=yes",
            "-o", "ControlMaster=auto", "-o", $"ControlPath={controlPath}", "-o", "ControlPersist=120",
            "-o", $"ConnectTimeout={(int)options.ConnectTimeout.TotalSeconds}",
            "-o", "StrictHostKeyChecking=" + (options.HostKeys == HostKeyPolicy.Strict ? "yes" : "accept-new"),
            "-o", "ServerAliveInterval=15",
            "-p", target.Port.ToString(),
        };
        if (options.KnownHostsFile is not null) args.AddRange(["-o", $"UserKnownHostsFile={options.KnownHostsFile}"]);
        if (options.IdentityFile is not null) args.AddRange(["-i", options.IdentityFile, "-o", "IdentitiesOnly=yes"]);
        args.Add($"{target.User}@{target.Address}");
        return args;
    }

    static string ControlSocket(SshTarget target)
    {
        // Unix socket paths are limited to ~108 bytes: keep them short and private.
        var dir = Path.Combine("/tmp", $"controlpanel-ssh-{Environment.UserName}");
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target.ToString())))[..16];
        return Path.Combine(dir, id);
    }

    public override async ValueTask DisposeAsync()
    {
        var args = BaseArgs();
        args.InsertRange(args.Count - 1, ["-O", "exit"]);
        try { await runner.RunAsync(new ProcessSpec(args) { OkExitCodes = [0, 255], Timeout = TimeSpan.FromSeconds(5) }); }
        catch (Exception e) when (e is CommandTimeoutException or CommandFailedException) { }
    }
}
