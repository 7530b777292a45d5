using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Registry;

/// <summary>
/// Docker Hub mirrors for Docker: registry-mirrors in /etc/docker/daemon.json, every other key kept byte for byte
/// (exec-opts with the systemd cgroup driver, log options, insecure registries). Reset puts back what was there.
/// </summary>
public sealed class DockerMirrorsStage(MirrorRequest request) : ConfigEditStage
{
    public override string Name => "docker-mirrors";
    public override string Title => request.IsReset
        ? "Reset Docker's registry-mirrors"
        : $"Docker pulls docker.io through {string.Join(", ", request.Mirrors)}";
    static readonly MessageTemplate NoneToReset = new("mirrors.docker-none-to-reset", "no Docker mirrors of ours to reset");
    static readonly MessageTemplate AsAsked = new("mirrors.docker-as-asked", "Docker's registry-mirrors are as asked");
    protected override UserMessage DoneReason => (request.IsReset ? NoneToReset : AsAsked).Message();

    protected override async Task<IReadOnlyList<ConfigEdit>> PlanAsync(StageContext context)
    {
        var file = DockerDaemonConfig.File;
        var text = await context.ReadFileAsync(file.Path);
        var original = await ConfigBackup.ReadAsync(context, file.Path);
        var edit = request.IsReset
            ? ConfigPlanner.Reset(file, text, original, [DockerDaemonConfig.Mirrors])
            : ConfigPlanner.Set(file, text, original, [(DockerDaemonConfig.Mirrors, DockerDaemonConfig.Value(request.Mirrors))]);
        return edit is null ? [] : [edit];
    }

    /// <summary>docker.service reloads daemon.json on SIGHUP and registry-mirrors is one of the keys it takes live, so running containers stay up.</summary>
    protected override async Task AfterChangeAsync(StageContext context, IReadOnlyList<string> changed)
    {
        await Systemd.ApplyConfigurationAsync(context, "docker", "reload-or-restart");
    }
}
