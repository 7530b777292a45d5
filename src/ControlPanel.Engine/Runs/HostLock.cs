using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// One mutating run per host, across processes (the panel and CLI runs share the data directory).
/// An exclusive open of the lock file takes an flock on Linux; the kernel drops it when the holder dies,
/// even by SIGKILL, so a crash never leaves the host locked.
/// </summary>
public sealed class HostLock : IDisposable
{
    readonly FileStream stream;
    readonly string holderFile;

    HostLock(FileStream stream, string holderFile)
    {
        this.stream = stream;
        this.holderFile = holderFile;
    }

    public static HostLock? TryAcquire(string dataDirectory, string hostKey, string holder)
    {
        var dir = Path.Combine(dataDirectory, "locks");
        Directory.CreateDirectory(dir);
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hostKey)))[..24];
        var path = Path.Combine(dir, name + ".lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var holderFile = Path.Combine(dir, name + ".holder");
            File.WriteAllText(holderFile, $"{holder} (pid {Environment.ProcessId}) on {hostKey}");
            return new HostLock(stream, holderFile);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Who holds the lock of a host, as the holder wrote it.</summary>
    public static string Describe(string dataDirectory, string hostKey)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hostKey)))[..24];
        var file = Path.Combine(dataDirectory, "locks", name + ".holder");
        return File.Exists(file) ? File.ReadAllText(file) : "another process";
    }

    public void Dispose()
    {
        try { File.Delete(holderFile); } catch (IOException) { }
        stream.Dispose();
    }
}

/// <summary>Another run holds the host (CLI exit code 3).</summary>
public sealed class HostBusyException(string hostKey, string holder)
    : Exception($"another run holds {hostKey}: {holder}; wait for it to finish or cancel it")
{
    public string HostKey { get; } = hostKey;
}
