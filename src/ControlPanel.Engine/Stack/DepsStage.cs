using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// The Debian/Ubuntu packages the stack needs. Not docker.io (panel.sh's choice): on Debian 12 it pulls in a
/// second containerd. The old runtime came from docker.io; runc alone is what the stack's containerd calls.
/// </summary>
public sealed class DepsStage : Stage
{
    public static readonly string[] Packages = ["runc", "bridge-utils", "iptables", "nginx", "ca-certificates", "curl"];

    public override string Name => "deps";
    public override string Title => "Install host packages (runc, bridge-utils, iptables, nginx, ca-certificates, curl)";
    public override TimeSpan Timeout => TimeSpan.FromMinutes(30);
    public override int MaxAttempts => 4;

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var missing = await Apt.MissingAsync(context, Packages);
        return missing.Count == 0
            ? StageCheck.Satisfied(AllInstalled.With(("packages", string.Join(", ", Packages))))
            : StageCheck.Needed(PackagesMissing.With(("packages", string.Join(", ", missing))));
    }

    public override async Task ApplyAsync(StageContext context) =>
        await Apt.InstallAsync(context, await Apt.MissingAsync(context, Packages) is { Count: > 0 } missing ? missing : Packages);

    static readonly MessageTemplate AllInstalled = new("packages.all-installed", "all installed: {packages}");
    static readonly MessageTemplate PackagesMissing = new("packages.missing", "missing: {packages}");
}
