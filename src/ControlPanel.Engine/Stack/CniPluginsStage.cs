using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>The pinned CNI plugins release in /opt/cni/bin, and IPv4 forwarding on (now and at boot) for the bridge.</summary>
public sealed class CniPluginsStage(InstallRequest request, StackServices services) : Stage
{
    public const string Forwarding = "net.ipv4.conf.all.forwarding";

    string Version => services.Manifest.VersionOf(request.Profile, ArtifactManifest.CniPlugins);

    public override string Name => "cni-plugins";
    public override string Title => $"CNI plugins {Version} in {StackPaths.CniBinDir}, IPv4 forwarding on";

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var arch = await HostFacts.RequireArchAsync(context);
        if (await ComponentMarker.MismatchAsync(context, ArtifactManifest.CniPlugins, "CNI plugins", Version, arch) is { } mismatch)
            return StageCheck.Needed(mismatch);
        if (!await HostFacts.ExistsAsync(context, $"{StackPaths.CniBinDir}/bridge"))
            return StageCheck.Needed(CheckReasons.Missing.With(("path", $"{StackPaths.CniBinDir}/bridge")));
        if (!await Sysctl.IsInPlaceAsync(context, Forwarding, "1"))
            return StageCheck.Needed(ForwardingOff.With(("setting", Forwarding), ("file", StackPaths.SysctlFile)));
        return StageCheck.Satisfied(Installed.With(("version", Version), ("directory", StackPaths.CniBinDir)));
    }

    static readonly MessageTemplate ForwardingOff = new("cni.forwarding-off", "{setting} is not 1 now or not persisted in {file}");
    static readonly MessageTemplate Installed = new("cni.installed", "CNI plugins {version} in {directory}; forwarding on");

    public override async Task ApplyAsync(StageContext context)
    {
        var arch = await HostFacts.RequireArchAsync(context);
        var file = (await StageArtifacts.FetchAsync(context, request, services, services.Manifest.Resolve(ArtifactManifest.CniPlugins, Version, arch))).Single();
        var archive = StageArtifacts.ArchivePath(file.Artifact);
        await StageArtifacts.UploadAsync(context, file, archive, "0644");
        await context.RunAsync("mkdir", "-p", StackPaths.CniBinDir);
        await context.RunAsync("tar", "-xzf", archive, "-C", StackPaths.CniBinDir, "--no-same-owner");
        await Sysctl.EnsureAsync(context, Forwarding, "1");
        await ComponentMarker.ForArchive(ArtifactManifest.CniPlugins, Version, arch, file, archive, StackPaths.CniBinDir).WriteAsync(context);
    }
}
