using System.Globalization;
using System.Net;
using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// Whether this host can take the stack, asked before anything changes. Every failure names its fix; all are
/// reported at once. Two findings are warnings, not failures: a domain that does not resolve to an address of
/// the host (behind NAT or a cloud 1:1 address the public IP is on no interface, so failing would be wrong;
/// the certificate stage fails with the CA's own error if DNS really is wrong) and a clock reference that
/// cannot be reached (offline installs through a mirror).
/// </summary>
public sealed class PreflightStage(InstallRequest request, StackServices services) : Stage
{
    public static readonly Dictionary<string, string[]> SupportedOs = new()
    {
        ["debian"] = ["11", "12"],
        ["ubuntu"] = ["20.04", "22.04", "24.04"],
    };
    public static readonly int[] Ports = [80, 443, 8080, 8081];
    /// <summary>Who may hold a port already: what this plan installs itself.</summary>
    static readonly Dictionary<int, string[]> PortOwners = new()
    {
        [80] = ["nginx"], [443] = ["nginx"], [8080] = ["faasd"], [8081] = ["faasd-provider", "faasd"],
    };
    public const long MinFreeBytes = 2L << 30;
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    public override string Name => "preflight";
    public override string Title => "Check that the host can take the stack";
    public override TimeSpan Timeout => TimeSpan.FromMinutes(2);

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        // Independent questions, asked side by side (the clock and DNS checks also wait on the network); each check
        // gathers its own failures, and findings and failures keep the order of this list.
        static Func<Task<(UserMessage? Fact, List<UserMessage> Failures)>> Check(Func<List<UserMessage>, Task<UserMessage?>> check) => async () =>
        {
            var failures = new List<UserMessage>();
            return (await check(failures), failures);
        };

        var answers = await context.AtOnceAsync(
            Check(async failures =>
            {
                if ((await context.ProbeAsync("id", "-u")).Stdout.Trim() != "0") failures.Add(NotRoot.Message());
                return null;
            }),
            Check(failures => OsAsync(context, failures)),
            Check(failures => ArchAsync(context, failures)),
            Check(async failures =>
            {
                if (!await HostFacts.ExistsAsync(context, "/run/systemd/system")) failures.Add(NoSystemd.Message());
                return null;
            }),
            Check(async _ =>
            {
                var cgroupFs = (await context.ProbeAsync("stat", "-fc", "%T", "/sys/fs/cgroup")).Stdout.Trim();
                return UserMessage.Verbatim(cgroupFs == "cgroup2fs" ? "cgroup v2" : "cgroup v1");
            }),
            Check(failures => DiskAsync(context, failures)),
            Check(async failures => { await PortsAsync(context, failures); return null; }),
            Check(async failures => { failures.AddRange(await ConflictingAgents.FindAsync(context)); return null; }),
            Check(async failures => { failures.AddRange(await CgroupDrivers.FindMismatchesAsync(context)); return null; }),
            Check(failures => ClockAsync(context, failures)),
            Check(async _ => { await DomainAsync(context); return null; }));

        var failed = answers.SelectMany(a => a.Failures).ToList();
        if (failed.Count > 0)
            throw new StageFailedException(NotReady.Message().WithDetails(failed));
        return StageCheck.Satisfied(UserMessage.Join(", ", answers.Select(a => a.Fact).OfType<UserMessage>()));
    }

    static readonly MessageTemplate NotReady = new("preflight.not-ready", "the host is not ready:");
    static readonly MessageTemplate NotRoot = new("preflight.not-root", "not running as root: connect as root (--host ssh://root@HOST) or run the panel with sudo");
    static readonly MessageTemplate NoSystemd = new("preflight.no-systemd",
        "systemd is not the init system (no /run/systemd/system): the stack runs as systemd services; use a systemd host, not a plain container");
    static readonly MessageTemplate OsUnsupported = new("preflight.os-unsupported", "{os} is not supported: use {supported}");
    static readonly MessageTemplate ArchUnsupported = new("preflight.arch-unsupported", "CPU architecture {machine} has no faasd stack build: use an amd64 (x86_64) or arm64 (aarch64) host");
    static readonly MessageTemplate DiskLow = new("preflight.disk-low", "only {free} free on /var/lib (images and containers need {need}): free some space or grow the disk");
    static readonly MessageTemplate DiskFree = new("preflight.disk-free", "{free} free");
    static readonly MessageTemplate PortTaken = new("preflight.port-taken", "port {port} is taken by {process}: stop it or move it to another port (the stack needs {ports})");
    static readonly MessageTemplate PortTakenUnknown = new("preflight.port-taken-unknown", "port {port} is taken by an unknown process: stop it or move it to another port (the stack needs {ports})");
    static readonly MessageTemplate ClockSkew = new("preflight.clock-skew",
        "the host clock is {skew} s off ({source} says {time}): TLS to registries, mirrors and the ACME CA fails with " +
        "x509 \"certificate has expired or is not yet valid\"; enable time sync (timedatectl set-ntp true) or set the clock");
    static readonly MessageTemplate PanelClock = new("preflight.panel-clock", "the panel's clock");
    static readonly MessageTemplate ClockWithin = new("preflight.clock-within", "clock within {seconds} s");

    public override Task ApplyAsync(StageContext context) => Task.CompletedTask;

    static async Task<UserMessage?> OsAsync(StageContext context, List<UserMessage> failures)
    {
        var os = HostFacts.ParseOsRelease(await context.ReadFileAsync("/etc/os-release") ?? "");
        var id = os.GetValueOrDefault("ID", "unknown");
        var version = os.GetValueOrDefault("VERSION_ID", "?");
        if (!SupportedOs.TryGetValue(id, out var versions) || !versions.Contains(version))
            failures.Add(OsUnsupported.With(("os", os.GetValueOrDefault("PRETTY_NAME", $"{id} {version}")),
                ("supported", string.Join(" or ", SupportedOs.Select(o => $"{o.Key} {string.Join("/", o.Value)}")))));
        return UserMessage.Verbatim($"{id} {version}");
    }

    async Task<UserMessage?> ArchAsync(StageContext context, List<UserMessage> failures)
    {
        var (machine, arch) = await HostFacts.ArchAsync(context);
        if (arch is null)
        {
            failures.Add(ArchUnsupported.With(("machine", machine)));
            return UserMessage.Verbatim(machine);
        }
        foreach (var component in new[] { ArtifactManifest.Containerd, ArtifactManifest.CniPlugins, ArtifactManifest.Faasd })
        {
            var version = services.Manifest.VersionOf(request.Profile, component);
            if (services.Manifest.UnsupportedReason(component, version, arch) is { } why) failures.Add(UserMessage.Verbatim(why));
        }
        return UserMessage.Verbatim(arch);
    }

    static async Task<UserMessage?> DiskAsync(StageContext context, List<UserMessage> failures)
    {
        var lines = (await context.ProbeAsync("df", "-PB1", "/var/lib")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var fields = lines.Length > 1 ? lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (fields.Length < 4 || !long.TryParse(fields[3], out var free))
        {
            context.Log.Warn("could not read the free space of /var/lib");
            return null;
        }
        if (free < MinFreeBytes)
            failures.Add(DiskLow.With(("free", Gib(free)), ("need", Gib(MinFreeBytes))));
        return DiskFree.With(("free", Gib(free)));
    }

    static async Task PortsAsync(StageContext context, List<UserMessage> failures)
    {
        var r = await context.ProbeAsync("ss", "-Htlnp");
        if (r.ExitCode != 0)
        {
            context.Log.Warn("could not list listening ports (ss from iproute2 is missing)");
            return;
        }
        foreach (var (port, process) in ListeningPorts(r.Stdout).Distinct())
            if (PortOwners.TryGetValue(port, out var owners) && !owners.Contains(process))
                failures.Add(process.Length == 0
                    ? PortTakenUnknown.With(("port", port), ("ports", string.Join(", ", Ports)))
                    : PortTaken.With(("port", port), ("process", process), ("ports", string.Join(", ", Ports))));
    }

    /// <summary>(port, process name) of each listening TCP socket in `ss -Htlnp` output.</summary>
    public static IEnumerable<(int Port, string Process)> ListeningPorts(string ssOutput)
    {
        foreach (var line in ssOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4) continue;
            var local = fields[3];
            if (!int.TryParse(local[(local.LastIndexOf(':') + 1)..], out var port)) continue;
            var users = line.IndexOf("users:((\"", StringComparison.Ordinal);
            var process = users < 0 ? "" : line[(users + 9)..].Split('"')[0];
            yield return (port, process);
        }
    }

    /// <summary>
    /// The host's clock against an HTTP Date header (the download mirror, else the default reference); for a remote host
    /// whose reference cannot be reached, against the panel's own clock. A clock behind by more than a minute is what
    /// makes pulls and the ACME client fail with x509 "certificate has expired or is not yet valid" (seed 001).
    /// </summary>
    async Task<UserMessage?> ClockAsync(StageContext context, List<UserMessage> failures)
    {
        var reference = request.DownloadMirror ?? services.DefaultClockReference;
        var theirs = await services.ReferenceClock(reference, context.Cancellation);
        var source = UserMessage.Verbatim(reference.Host);
        if (theirs is null && context.Host.Key != "local")
        {
            theirs = services.EngineClock();
            source = PanelClock.Message();
        }
        var epoch = (await context.ProbeAsync("date", "-u", "+%s")).Stdout.Trim();
        if (theirs is null || !long.TryParse(epoch, CultureInfo.InvariantCulture, out var seconds))
        {
            context.Log.Warn($"clock not checked: no Date header from {reference}");
            return null;
        }
        var skew = DateTimeOffset.FromUnixTimeSeconds(seconds) - theirs.Value;
        if (skew.Duration() > MaxClockSkew)
            failures.Add(ClockSkew.With(("skew", skew.TotalSeconds.ToString("+0;-0", CultureInfo.InvariantCulture)), ("source", source),
                ("time", theirs.Value.ToString("u", CultureInfo.InvariantCulture))));
        return ClockWithin.With(("seconds", skew.Duration().TotalSeconds.ToString("0", CultureInfo.InvariantCulture)));
    }

    async Task DomainAsync(StageContext context)
    {
        IPAddress[] resolved;
        try { resolved = await services.ResolveHost(request.Domain, context.Cancellation); }
        catch (System.Net.Sockets.SocketException e)
        {
            context.Log.Warn($"{request.Domain} does not resolve ({e.Message}): point its A/AAAA record at this host before the certificate stage");
            return;
        }
        var ours = HostAddresses((await context.ProbeAsync("ip", "-o", "addr", "show")).Stdout);
        if (!resolved.Any(a => ours.Contains(a)))
            context.Log.Warn($"{request.Domain} resolves to {string.Join(", ", resolved.Select(a => a.ToString()))}, not to an address on this host " +
                             $"({string.Join(", ", ours.Select(a => a.ToString()))}); fine behind NAT, otherwise fix the DNS record before the certificate stage");
    }

    /// <summary>The addresses in `ip -o addr show` output.</summary>
    public static HashSet<IPAddress> HostAddresses(string ipOutput)
    {
        var set = new HashSet<IPAddress>();
        foreach (var line in ipOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var i = Array.FindIndex(fields, f => f is "inet" or "inet6");
            if (i >= 0 && i + 1 < fields.Length && IPAddress.TryParse(fields[i + 1].Split('/')[0], out var a)) set.Add(a);
        }
        return set;
    }

    static string Gib(long bytes) => $"{bytes / (double)(1L << 30):0.#} GiB";
}
