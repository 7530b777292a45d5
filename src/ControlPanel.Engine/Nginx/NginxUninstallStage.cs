using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The uninstall plan's nginx stage: removes our site file and the ACME webroot, puts back the site files we moved
/// aside, tests and reloads. A restored file that nginx rejects (say, its old certificate is gone) is kept as
/// FILE.controlpanel-rejected with a warning, so uninstalling never leaves nginx broken.
/// </summary>
public sealed class NginxUninstallStage(NginxTarget? target = null) : Stage
{
    readonly NginxTarget target = target ?? new NginxTarget();

    public override string Name => "nginx-site";
    public override string Title => "Remove the ControlPanel nginx site and restore the site files it replaced";
    public override TimeSpan Timeout => TimeSpan.FromMinutes(2);

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        if (NginxSiteFile.IsOurs(await context.ReadFileAsync(target.SitePath)))
            return StageCheck.Needed(StillThere.With(("path", target.SitePath)));
        if (await RestorableAsync(context) is { Count: > 0 } pending)
            return StageCheck.Needed(NotRestored.With(("files", string.Join(", ", pending))));
        if (await context.Host.StatAsync(target.AcmeWebroot, context.Cancellation) is not null)
            return StageCheck.Needed(StillThere.With(("path", target.AcmeWebroot)));
        return StageCheck.Satisfied(NoSite.Message());
    }

    public override async Task ApplyAsync(StageContext context)
    {
        if (NginxSiteFile.IsOurs(await context.ReadFileAsync(target.SitePath)))
            await context.DeleteFileAsync(target.SitePath);
        var restored = await RestorableAsync(context);
        foreach (var path in restored)
            await context.RunAsync("mv", "-f", "--", NginxTarget.BackupPath(path), path);
        await context.RunAsync("rm", "-rf", "--", target.AcmeWebroot);
        try
        {
            await NginxApplier.TestAsync(context, target);
        }
        catch (NginxConfigRejectedException e) when (restored.Count > 0)
        {
            foreach (var path in restored)
                await context.RunAsync("mv", "-f", "--", path, RejectedPath(path));
            context.Log.Warn($"nginx rejects the restored site files, so they stay out of its configuration as {string.Join(", ", restored.Select(RejectedPath))}: {e.Error}");
            await NginxApplier.TestAsync(context, target);
        }
        // A stopped nginx stays stopped: uninstalling must not start services.
        if ((await context.ProbeAsync([.. target.ActiveProbe])).ExitCode == 0)
            await context.RunAsync([.. target.ReloadCommand]);
    }

    /// <summary>Not *.conf, so nginx does not include it; the user still has it.</summary>
    public static string RejectedPath(string path) => path + ".controlpanel-rejected";

    /// <summary>Backed-up files whose original place is free again (ours is gone, or was never there).</summary>
    async Task<List<string>> RestorableAsync(StageContext context)
    {
        var paths = new List<string>();
        foreach (var path in target.ConflictingSites.Prepend(target.SitePath).Distinct())
        {
            var backup = await context.Host.StatAsync(NginxTarget.BackupPath(path), context.Cancellation);
            var current = await context.ReadFileAsync(path);
            if (backup is not null && (current is null || NginxSiteFile.IsOurs(current))) paths.Add(path);
        }
        return paths;
    }

    static readonly MessageTemplate StillThere = new("nginx.still-there", "{path} is still there");
    static readonly MessageTemplate NotRestored = new("nginx.not-restored", "{files} not restored yet");
    static readonly MessageTemplate NoSite = new("nginx.no-site", "no ControlPanel site left");
}
