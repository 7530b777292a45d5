using System.Diagnostics;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>
/// A disposable "host" made of real kernel pieces: its own network namespace (links, bridge, iptables) and its
/// own mount namespace in which /run and every folder the stages write to are fresh tmpfs, so the stages run with their
/// real absolute paths and real tools without touching this machine's network or files. Commands reach it
/// through <see cref="NetnsHost"/> (nsenter into both namespaces). Needs root.
/// </summary>
public sealed class NetnsSandbox : IAsyncDisposable
{
    /// <summary>Everything the stages write to, so that nothing of this machine is changed or removed.</summary>
    static readonly string[] PrivateDirs =
        ["/var/lib", "/var/cache", "/opt", "/usr/local/bin", "/etc/cni", "/etc/sysctl.d", "/etc/controlpanel", "/etc/systemd/system", "/lib/systemd/system",
         "/etc/docker", "/etc/containerd"];

    readonly string id = "cp" + Guid.NewGuid().ToString("N")[..8];
    readonly string temp;
    /// <summary>
    /// Mount points this process created on the machine, and how many sandboxes are open: sandboxes run in parallel,
    /// so the last one out removes them (one sandbox removing /etc/controlpanel failed another's set-up).
    /// </summary>
    static readonly HashSet<string> CreatedDirs = new();
    static int open;
    readonly List<Process> background = new();

    NetnsSandbox()
    {
        temp = Directory.CreateTempSubdirectory("cp-netns-").FullName;
        lock (CreatedDirs) open++;
    }

    public string HostNs => id + "-host";
    public string MountNs => Path.Combine(temp, "ns", "mnt");
    public NetnsHost Host { get; private set; } = null!;

    public static async Task<NetnsSandbox> CreateAsync()
    {
        var s = new NetnsSandbox();
        try { await s.SetUpAsync(); }
        catch { await s.DisposeAsync(); throw; }
        return s;
    }

    async Task SetUpAsync()
    {
        await Local("ip", "netns", "add", HostNs);
        lock (CreatedDirs)
        {
            foreach (var dir in PrivateDirs.Where(d => !Directory.Exists(d)))
            {
                Directory.CreateDirectory(dir);
                CreatedDirs.Add(dir);
            }
        }
        var nsDir = Path.Combine(temp, "ns");
        Directory.CreateDirectory(nsDir);
        await Local("mount", "--bind", nsDir, nsDir);
        await Local("mount", "--make-private", nsDir);
        File.WriteAllText(MountNs, "");
        await Local("unshare", $"--mount={MountNs}", "--propagation", "private", "true");
        Host = new NetnsHost(HostNs, MountNs);

        // The host namespace is opened by nsenter before it enters the mount namespace, so it may live in this
        // machine's /run/netns; the sandbox's other namespaces are created inside its own /run.
        await InMount("mount", "-t", "tmpfs", "tmpfs", "/run");
        foreach (var dir in PrivateDirs) await InMount("mount", "-t", "tmpfs", "tmpfs", dir);
        await RunAsync("ip", "link", "set", "lo", "up");
    }

    /// <summary>Creates another network namespace (a "container" or an "outside" machine), removed with the sandbox.</summary>
    public async Task<string> AddNetnsAsync(string name)
    {
        await InMount("ip", "netns", "add", name);
        return name;
    }

    /// <summary>Runs a command inside the sandbox (both namespaces).</summary>
    public Task<ProcessResult> RunAsync(params string[] argv) => Host.RunAsync(new ProcessSpec(argv) { CaptureStdout = true }, CancellationToken.None);
    public Task<ProcessResult> RunAsync(ProcessSpec spec) => Host.RunAsync(spec with { CaptureStdout = true }, CancellationToken.None);

    /// <summary>Runs a command in another of the sandbox's network namespaces; any exit code is returned.</summary>
    public Task<ProcessResult> InNetnsAsync(string netns, params string[] argv) =>
        ProcessRunner.Default.RunAsync(new ProcessSpec(["nsenter", $"--mount={MountNs}", "--", "ip", "netns", "exec", netns, .. argv])
            { CaptureStdout = true, OkExitCodes = Enumerable.Range(0, 256).ToArray(), Timeout = TimeSpan.FromSeconds(20) });

    /// <summary>Starts a long-running process (a listener, a fake shim) that is killed when the sandbox goes.</summary>
    public Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        background.Add(p);
        return p;
    }

    Task<ProcessResult> InMount(params string[] argv) =>
        ProcessRunner.Default.RunAsync(new ProcessSpec(["nsenter", $"--mount={MountNs}", "--", .. argv]));

    static Task<ProcessResult> Local(params string[] argv) => ProcessRunner.Default.RunAsync(new ProcessSpec(argv) { Timeout = TimeSpan.FromSeconds(30) });

    public async ValueTask DisposeAsync()
    {
        foreach (var p in background)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        await Quiet("umount", "--lazy", MountNs);
        await Quiet("umount", "--lazy", Path.Combine(temp, "ns"));
        await Quiet("ip", "netns", "del", HostNs);
        List<string> last;
        lock (CreatedDirs)
        {
            last = --open == 0 ? CreatedDirs.ToList() : [];
            if (open == 0) CreatedDirs.Clear();
        }
        foreach (var dir in last) await Quiet("rmdir", dir);
        try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
    }

    static async Task Quiet(params string[] argv)
    {
        try { await ProcessRunner.Default.RunAsync(new ProcessSpec(argv) { OkExitCodes = Enumerable.Range(0, 256).ToArray(), Timeout = TimeSpan.FromSeconds(30) }); }
        catch (Exception) { }
    }
}

/// <summary>The sandbox as a host: every command enters its network and mount namespaces.</summary>
public sealed class NetnsHost(string netns, string mountNs) : CommandHost(ProcessRunner.Default)
{
    public override string Key => "netns:" + netns;

    protected override ProcessSpec Translate(ProcessSpec command) =>
        NsenterHost.Wrap(["nsenter", $"--net=/run/netns/{netns}", $"--mount={mountNs}", "--"], command);
}
