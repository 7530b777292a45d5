using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>apt-get, non-interactive, waiting for the dpkg lock instead of failing when unattended-upgrades holds it.</summary>
public static class Apt
{
    static readonly Dictionary<string, string> NonInteractive = new() { ["DEBIAN_FRONTEND"] = "noninteractive" };
    const string LockWait = "DPkg::Lock::Timeout=600";
    /// <summary>The locks apt-get waits on (dpkg's, and the package lists' during update).</summary>
    static readonly string[] Locks = ["/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock"];

    /// <summary>Messages of a mirror or network hiccup: worth a retry, unlike a package that does not exist.</summary>
    static readonly string[] TransientMarks =
    [
        "Temporary failure resolving", "Could not resolve", "Could not connect", "Connection timed out", "Connection failed",
        "Failed to fetch", "Hash Sum mismatch", "Unable to fetch some archives", "Could not get lock", "503  Service Unavailable",
    ];

    /// <summary>The packages of <paramref name="wanted"/> that are not installed.</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(StageContext context, IReadOnlyList<string> wanted)
    {
        var r = await context.ProbeAsync(["dpkg-query", "-W", "-f=${Package} ${db:Status-Status}\\n", .. wanted]);
        var installed = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).Where(p => p.Length == 2 && p[1] == "installed").Select(p => p[0].Split(':')[0]).ToHashSet();
        return wanted.Where(p => !installed.Contains(p)).ToList();
    }

    public static async Task InstallAsync(StageContext context, IReadOnlyList<string> packages)
    {
        await Run(context, ["apt-get", "-o", LockWait, "update"]);
        await Run(context, ["apt-get", "-o", LockWait, "install", "-y", "--no-install-recommends", .. packages]);
    }

    public static Task PurgeAsync(StageContext context, params string[] packages) =>
        Run(context, ["apt-get", "-o", LockWait, "purge", "-y", .. packages]);

    static async Task Run(StageContext context, string[] argv)
    {
        try
        {
            await context.RunAsync(new ProcessSpec(argv) { Environment = NonInteractive, Timeout = TimeSpan.FromMinutes(15) },
                whileQuiet: async () => await FileLocks.HeldByAsync(context, Locks) is { } held ? "apt's lock is " + held : null);
        }
        catch (CommandFailedException e) when (e.StderrTail.Any(l => TransientMarks.Any(m => l.Contains(m, StringComparison.OrdinalIgnoreCase))))
        {
            throw new TransientStageException(MirrorUnreachable.With(("output", e.StderrTail.LastOrDefault())), e);
        }
    }

    static readonly MessageTemplate MirrorUnreachable = new("apt.mirror-unreachable", "apt could not reach its mirror: {output}");
}
