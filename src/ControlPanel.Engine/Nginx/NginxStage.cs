using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The install plan's nginx stage: our site for the request's domain (routes from DATA/proxy/routes.json, panel.sh's
/// routes the first time), applied safely. Before the certificate exists it renders the HTTP-only variant that
/// serves the ACME challenge path, so a plan can run it before the certificate stage and again after it (give the
/// second one another name, e.g. "nginx-tls").
/// </summary>
public sealed class NginxStage(NginxTarget? target = null, string name = "nginx") : Stage
{
    readonly NginxTarget target = target ?? new NginxTarget();

    public override string Name => name;
    // The install plan runs this stage twice: before the certificate (challenge path only) and after it (HTTPS).
    public override string Title => name == "nginx" ? "nginx reverse proxy (site, TLS, ACME challenge path)" : $"nginx reverse proxy ({name})";
    public override TimeSpan Timeout => TimeSpan.FromMinutes(2);

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var (_, site, text) = await DesiredAsync(context);
        if (await NginxApplier.InterruptedAsync(context, target))
            return StageCheck.Needed("an earlier apply was interrupted before nginx proved the new file");
        if (await context.ReadFileAsync(target.SitePath) != text)
            return StageCheck.Needed($"{target.SitePath} is not the site rendered from the routes");
        if (await NginxApplier.ConflictsAsync(context, target, site.Domain) is { Count: > 0 } conflicts)
            return StageCheck.Needed($"{string.Join(", ", conflicts)} also serves {site.Domain}");
        if (await context.Host.StatAsync(target.ChallengeDirectory, context.Cancellation) is null)
            return StageCheck.Needed($"{target.ChallengeDirectory} is missing");
        if ((await context.ProbeAsync([.. target.ActiveProbe])).ExitCode != 0)
            return StageCheck.Needed("nginx is not running");
        return StageCheck.Satisfied($"{target.SitePath} is current and nginx is running");
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var (settings, site, text) = await DesiredAsync(context);
        if (await context.Host.StatAsync(target.ChallengeDirectory, context.Cancellation) is null)
            // Each level named: -m applies only to the directories listed, and nginx's workers must traverse all of them
            // whatever umask the engine runs under (the panel's unit, a root shell with umask 077).
            await context.RunAsync("mkdir", "-p", "-m", "0755", "--", target.AcmeWebroot, target.AcmeWebroot + "/.well-known", target.ChallengeDirectory);
        var result = await NginxApplier.ApplyAsync(context, target, site.Domain, text);
        if (!result.Changed && (await context.ProbeAsync([.. target.ActiveProbe])).ExitCode != 0)
            await context.RunAsync([.. target.ReloadCommand]);
        if (!context.DryRun) ProxyRoutesStore.Save(context.DataDirectory, settings);
    }

    async Task<(ProxySettings Settings, ProxySite Site, string Text)> DesiredAsync(StageContext context)
    {
        var domain = HostName.RequireDomain("domain", context.Request.Input("domain"));
        var settings = ProxyRoutesStore.LoadOrDefault(context.DataDirectory, domain, context.Request.Input("panelType") ?? "faasd");
        var site = settings.Validate();
        return (settings, site, await NginxSiteFile.RenderAsync(context.Host, target, site, context.Cancellation));
    }
}
