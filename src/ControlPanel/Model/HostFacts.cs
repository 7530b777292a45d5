
namespace ControlPanel.Model;

/// <summary>Facts about the machine the panel runs on (the "local" target), read from the OS each time.</summary>
public sealed record HostFacts(string HostName, string Os, string Kernel, string Architecture, int Cpus, long MemoryBytes, long MemoryAvailableBytes,
    string Load, long DiskFreeBytes, long DiskTotalBytes)
{
    public static HostFacts Read()
    {
        var os = ReadKeyValues("/etc/os-release").GetValueOrDefault("PRETTY_NAME", "Linux");
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.VersionString;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length >= 2)
                .ToDictionary(p => p[0].TrimEnd(':'), p => long.Parse(p[1]) * 1024)
            : new();
        // The 1, 5 and 15 minute load averages, as uptime prints them.
        var load = File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";
        var root = new DriveInfo("/");
        return new HostFacts(Environment.MachineName, os, kernel, System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            Environment.ProcessorCount, memory.GetValueOrDefault("MemTotal"), memory.GetValueOrDefault("MemAvailable"), load, root.AvailableFreeSpace, root.TotalSize);
    }

    static Dictionary<string, string> ReadKeyValues(string path) =>
        File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1].Trim('"'))
            : new();

    public static string Bytes(long n) => n >= 1L << 30 ? $"{n / (double)(1L << 30):0.0} GiB" : $"{n / (double)(1L << 20):0} MiB";
}
