using System.Security.Cryptography;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Inventory;

/// <summary>A public host key as a server offers it, with the fingerprint ssh shows for it.</summary>
public sealed record HostPublicKey(string Type, string Blob)
{
    /// <summary>"SHA256:..." exactly as `ssh` and `ssh-keygen -l` print it: unpadded base64 of the SHA-256 of the key blob.</summary>
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(Blob))).TrimEnd('=');
}

/// <summary>Asks a server for its host keys with `ssh-keyscan` (no login, nothing trusted yet).</summary>
public sealed class HostKeyScanner(ProcessRunner? runner = null)
{
    readonly ProcessRunner runner = runner ?? ProcessRunner.Default;

    public async Task<IReadOnlyList<HostPublicKey>> ScanAsync(SshTarget target, CancellationToken cancellationToken = default)
    {
        // Edge hosts sit behind slow links on small CPUs, and ssh-keyscan runs its key exchanges at once: 5 s and 20 s
        // both gave up on a busy one-CPU emulated host. A closed port still fails at once.
        var result = await runner.RunAsync(new ProcessSpec(["ssh-keyscan", "-T", "60", "-p", target.Port.ToString(), "--", target.Address])
        {
            ReadOnly = true, CaptureStdout = true, Timeout = TimeSpan.FromSeconds(180), OkExitCodes = [0, 1],
        }, cancellationToken);
        var keys = ParseLines(result.Stdout).DistinctBy(k => k.Blob).OrderBy(k => k.Type == "ssh-ed25519" ? 0 : 1).ThenBy(k => k.Type).ToList();
        if (keys.Count == 0)
            throw new HostKeyException(target, $"no host key could be read from {target.Address} port {target.Port} (is sshd listening there?)"
                + (result.StderrTail.Count > 0 ? ": " + string.Join(" ", result.StderrTail.Where(l => !l.StartsWith('#'))) : ""));
        return keys;
    }

    /// <summary>Key lines of known_hosts / ssh-keyscan output: "PATTERN TYPE BASE64 [comment]"; comments and junk are ignored.</summary>
    public static IEnumerable<(string Pattern, HostPublicKey Key)> ParseEntries(string text)
    {
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var parts = raw.Trim().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[0].StartsWith('#') || parts[0].StartsWith('@')) continue;
            if (!IsBase64(parts[2])) continue;
            yield return (parts[0], new HostPublicKey(parts[1], parts[2]));
        }
    }

    static IEnumerable<HostPublicKey> ParseLines(string text) => ParseEntries(text).Select(e => e.Key);

    static bool IsBase64(string s)
    {
        Span<byte> buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out _);
    }
}

/// <summary>A host key could not be read, or it differs from the pinned one (the loud case: a possible man in the middle).</summary>
public sealed class HostKeyException(SshTarget target, string message) : Exception(message)
{
    public SshTarget Target { get; } = target;
}
