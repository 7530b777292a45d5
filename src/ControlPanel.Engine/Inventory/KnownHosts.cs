using ControlPanel.Engine.Files;
using ControlPanel.Engine.Hosts;

namespace ControlPanel.Engine.Inventory;

public enum PinState { Unknown, Pinned, Changed }

/// <summary>
/// DATA/ssh/known_hosts, the file SshHost checks with StrictHostKeyChecking=yes. Keys enter it only through
/// <see cref="Pin"/>, after the user confirmed their fingerprints; a key that differs from a pinned one is never
/// replaced here.
/// </summary>
public sealed class KnownHosts(string path)
{
    public string Path => path;

    public static KnownHosts In(string dataDirectory) => new(System.IO.Path.Combine(dataDirectory, "ssh", "known_hosts"));

    /// <summary>The name ssh looks the target up under: "host" on port 22, "[host]:port" otherwise.</summary>
    public static string Pattern(SshTarget target) =>
        target.Port == 22 ? target.Address.ToLowerInvariant() : $"[{target.Address.ToLowerInvariant()}]:{target.Port}";

    public IReadOnlyList<HostPublicKey> PinnedKeys(SshTarget target)
    {
        if (!File.Exists(path)) return [];
        var pattern = Pattern(target);
        return HostKeyScanner.ParseEntries(File.ReadAllText(path))
            .Where(e => e.Pattern.Split(',').Contains(pattern)).Select(e => e.Key).ToList();
    }

    /// <summary>Compares what the server offers now with what is pinned.</summary>
    public PinState Compare(SshTarget target, IReadOnlyList<HostPublicKey> offered)
    {
        var pinned = PinnedKeys(target);
        if (pinned.Count == 0) return PinState.Unknown;
        // ssh negotiates a key type that is pinned; any pinned type offered with another key, or no pinned key offered at all, is a change.
        if (pinned.Any(p => offered.Any(o => o.Type == p.Type && o.Blob != p.Blob))) return PinState.Changed;
        return pinned.Any(p => offered.Contains(p)) ? PinState.Pinned : PinState.Changed;
    }

    /// <summary>Pins keys for a target that has none pinned yet. Throws when other keys are pinned: a changed key is never re-pinned here.</summary>
    public void Pin(SshTarget target, IReadOnlyList<HostPublicKey> keys)
    {
        using var edit = Edit();
        var pinned = PinnedKeys(target);
        if (pinned.Count > 0 && !keys.All(pinned.Contains))
            throw ChangedKey(target, pinned, keys);
        var missing = keys.Where(k => !pinned.Contains(k)).ToList();
        if (missing.Count == 0) return;
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        if (text.Length > 0 && !text.EndsWith('\n')) text += "\n";
        text += string.Concat(missing.Select(k => $"{Pattern(target)} {k.Type} {k.Blob}\n"));
        AtomicFile.EnsureDirectory(System.IO.Path.GetDirectoryName(path)!, AtomicFile.PrivateDirectory);
        AtomicFile.Write(path, text, AtomicFile.Public);
    }

    /// <summary>Removes every key pinned for the target (the user removed the host from the inventory).</summary>
    public void Forget(SshTarget target)
    {
        if (!File.Exists(path)) return;
        using var edit = Edit();
        var pattern = Pattern(target);
        var kept = File.ReadAllText(path).ReplaceLineEndings("\n").Split('\n')
            .Where(l => l.Length > 0 && !l.Split(' ', 2)[0].Split(',').Contains(pattern));
        AtomicFile.Write(path, string.Concat(kept.Select(l => l + "\n")), AtomicFile.Public);
    }

    /// <summary>
    /// One edit of the file at a time, across processes (scripts trusting hosts side by side, panel nodes) and threads:
    /// each edit reads the file and writes it whole, so two at once would lose one's keys. An flock on a file beside it
    /// (.NET's FileShare.None), which the kernel drops if the process dies.
    /// </summary>
    FileStream Edit()
    {
        var lockFile = path + ".lock";
        AtomicFile.EnsureDirectory(System.IO.Path.GetDirectoryName(path)!, AtomicFile.PrivateDirectory);
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(20);
            }
        }
    }

    public static HostKeyException ChangedKey(SshTarget target, IReadOnlyList<HostPublicKey> pinned, IReadOnlyList<HostPublicKey> offered) =>
        new(target, $"""
            WARNING: THE HOST KEY OF {target.Address} PORT {target.Port} HAS CHANGED. Someone could be intercepting the connection (a man in the middle), or the host was reinstalled.
            pinned:  {string.Join(", ", pinned.Select(k => $"{k.Type} {k.Fingerprint}"))}
            offered: {string.Join(", ", offered.Select(k => $"{k.Type} {k.Fingerprint}"))}
            Nothing was changed and the new key is not trusted. If the host was reinstalled, check its new fingerprint on its console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), remove the host (controlpanel hosts remove NAME), add it again and trust it.
            """);
}
