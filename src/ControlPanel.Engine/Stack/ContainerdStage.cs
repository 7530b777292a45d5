using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>The pinned containerd release in /usr/local/bin with our systemd unit, enabled, running and answering.</summary>
public sealed class ContainerdStage(InstallRequest request, StackServices services) : Stage
{
    /// <summary>
    /// Upstream's unit. KillMode=process like upstream: restarting containerd must not kill the containers' shims
    /// (which is also why uninstall kills the shims itself).
    /// </summary>
    public const string Unit = """
        # Written by ControlPanel (the faasd stack's containerd). Removed on uninstall.
        [Unit]
        Description=containerd container runtime
        Documentation=https://containerd.io
        After=network.target local-fs.target

        [Service]
        ExecStartPre=-/sbin/modprobe overlay
        ExecStart=/usr/local/bin/containerd
        Type=notify
        Delegate=yes
        KillMode=process
        Restart=always
        RestartSec=5
        LimitNPROC=infinity
        LimitCORE=infinity
        LimitNOFILE=1048576
        TasksMax=infinity
        OOMScoreAdjust=-999

        [Install]
        WantedBy=multi-user.target

        """;

    string Version => services.Manifest.VersionOf(request.Profile, ArtifactManifest.Containerd);

    public override string Name => "containerd";
    public override string Title => $"containerd {Version} in {StackPaths.BinDir}, running under systemd";
    public override TimeSpan Timeout => TimeSpan.FromMinutes(20);

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var arch = await HostFacts.RequireArchAsync(context);
        // Asked at once (over SSH each is a round trip), judged in order.
        var mismatch = ComponentMarker.MismatchAsync(context, ArtifactManifest.Containerd, "containerd", Version, arch);
        var binary = HostFacts.ExistsAsync(context, "/usr/local/bin/containerd");
        var unit = context.ReadFileAsync(StackPaths.ContainerdUnit);
        var states = Systemd.StatesAsync(context, "containerd");
        await Task.WhenAll(mismatch, binary, unit, states);
        if (await mismatch is { } differs) return StageCheck.Needed(differs);
        if (!await binary) return StageCheck.Needed(CheckReasons.Missing.With(("path", "/usr/local/bin/containerd")));
        if (await unit != Unit) return StageCheck.Needed(UnitNotOurs.With(("path", StackPaths.ContainerdUnit)));
        var state = (await states)[0];
        if (!state.Enabled) return StageCheck.Needed(CheckReasons.NotEnabled.With(("unit", "containerd.service")));
        if (!state.Active) return StageCheck.Needed(CheckReasons.NotRunning.With(("unit", "containerd.service")));
        if (!await ServerAnswersAsync(context)) return StageCheck.Needed(NoAnswer.Message());
        return StageCheck.Satisfied(Running.With(("version", Version)));
    }

    static readonly MessageTemplate UnitNotOurs = new("containerd.unit-not-ours", "{path} is missing or not ours");
    static readonly MessageTemplate NoAnswer = new("containerd.no-answer", "containerd does not answer `ctr version`");
    static readonly MessageTemplate Running = new("containerd.running", "containerd {version} running");
    static readonly MessageTemplate NoAnswerInTime = new("containerd.timeout", "containerd did not answer `ctr version` within {seconds} s: see `journalctl -u containerd`");

    public override async Task ApplyAsync(StageContext context)
    {
        var arch = await HostFacts.RequireArchAsync(context);
        var marker = await ComponentMarker.ReadAsync(context, ArtifactManifest.Containerd);
        var binariesChanged = false;
        if (marker is null || !marker.Matches(Version, arch) || !await HostFacts.ExistsAsync(context, "/usr/local/bin/containerd"))
        {
            var file = (await StageArtifacts.FetchAsync(context, request, services, services.Manifest.Resolve(ArtifactManifest.Containerd, Version, arch))).Single();
            var archive = StageArtifacts.ArchivePath(file.Artifact);
            await StageArtifacts.UploadAsync(context, file, archive, "0644");
            // The tarball holds bin/containerd, bin/ctr and the shims: extracting under /usr/local puts them in /usr/local/bin.
            await context.RunAsync("tar", "-xzf", archive, "-C", "/usr/local", "--no-same-owner");
            marker = ComponentMarker.ForArchive(ArtifactManifest.Containerd, Version, arch, file, archive, "/usr/local");
            binariesChanged = true;
        }

        await HostBackup.BackupFileAsync(context, StackPaths.ContainerdUnit, Unit);
        var unit = await context.WriteFileAsync(new FileSpec(StackPaths.ContainerdUnit, Unit, "0644"));
        if (unit.Changed) await Systemd.DaemonReloadAsync(context);
        await Systemd.EnableAsync(context, "containerd");
        if (binariesChanged || unit.Changed) await Systemd.RestartAsync(context, "containerd");
        else await context.RunAsync("systemctl", "start", "containerd");
        await marker.WriteAsync(context);
    }

    public override async Task VerifyAsync(StageContext context)
    {
        if (!await Poll.UntilAsync(context, services, "containerd to answer on its socket", services.ServiceWait, () => ServerAnswersAsync(context)))
            throw new StageFailedException(NoAnswerInTime.With(("seconds", services.ServiceWait.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));
        await base.VerifyAsync(context);
    }

    /// <summary>`ctr version` prints a Server section only when the daemon answered on its socket.</summary>
    public static async Task<bool> ServerAnswersAsync(StageContext context)
    {
        var r = await context.ProbeAsync(StackPaths.Ctr, "version");
        return r.ExitCode == 0 && r.Stdout.Contains("Server:", StringComparison.Ordinal);
    }
}
