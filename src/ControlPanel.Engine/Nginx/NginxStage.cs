using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The install plan's nginx stage: our site for the request's domain (routes from DATA/proxy/routes.json, panel.sh's
/// routes the first time), applied safely. Before the certificate exists it renders the HTTP-only variant that
/// serves the ACME challenge path, so a plan can run it before the certificate stage and again after it (give the
/// second one another name, e.g. "nginx-tls").
/// </summary>
public sealed class NginxStage(NginxRoutes routes, NginxTarget? target = null, string name = "nginx") : Stage
{
    readonly NginxTarget target = target ?? new NginxTarget();

    public override string Name => name;
    // The install plan runs this stage twice: before the certificate (challenge path only) and after it (HTTPS).
    public override string Title => name == "nginx" ? "nginx reverse proxy (site, TLS, ACME challenge path)" : $"nginx reverse proxy ({name})";
    public override TimeSpan Timeout => TimeSpan.FromMinutes(2);

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var (_, site) = Desired(context);
        // Asked at once (over SSH each is a round trip), judged in order.
        var text = NginxSiteFile.RenderAsync(context.Host, target, site, context.Cancellation);
        var interrupted = NginxApplier.InterruptedAsync(context, target);
        var current = context.ReadFileAsync(target.SitePath);
        var conflicts = NginxApplier.ConflictsAsync(context, target, site.Domain);
        var challenge = context.Host.StatAsync(target.ChallengeDirectory, context.Cancellation);
        var active = context.ProbeAsync([.. target.ActiveProbe]);
        await Task.WhenAll(text, interrupted, current, conflicts, challenge, active);
        if (await interrupted)
            return StageCheck.Needed(Interrupted.Message());
        if (await current != await text)
            return StageCheck.Needed(SiteDiffers.With(("path", target.SitePath)));
        if (await conflicts is { Count: > 0 } others)
            return StageCheck.Needed(AlsoServes.With(("files", string.Join(", ", others)), ("domain", site.Domain)));
        if (await challenge is null)
            return StageCheck.Needed(CheckReasons.Missing.With(("path", target.ChallengeDirectory)));
        if ((await active).ExitCode != 0)
            return StageCheck.Needed(CheckReasons.NotRunning.With(("unit", "nginx")));
        return StageCheck.Satisfied(SiteCurrent.With(("path", target.SitePath)));
    }

    static readonly MessageTemplate Interrupted = new("nginx.interrupted", "an earlier apply was interrupted before nginx proved the new file");
    static readonly MessageTemplate SiteDiffers = new("nginx.site-differs", "{path} is not the site rendered from the routes");
    static readonly MessageTemplate AlsoServes = new("nginx.also-serves", "{files} also serves {domain}");
    static readonly MessageTemplate SiteCurrent = new("nginx.site-current", "{path} is current and nginx is running");

    public override async Task ApplyAsync(StageContext context)
    {
        var (settings, site) = Desired(context);
        var text = await NginxSiteFile.RenderAsync(context.Host, target, site, context.Cancellation);
        if (await context.Host.StatAsync(target.ChallengeDirectory, context.Cancellation) is null)
            // Each level named: -m applies only to the directories listed, and nginx's workers must traverse all of them
            // whatever umask the engine runs under (the panel's unit, a root shell with umask 077).
            await context.RunAsync("mkdir", "-p", "-m", "0755", "--", target.AcmeWebroot, target.AcmeWebroot + "/.well-known", target.ChallengeDirectory);
        var result = await NginxApplier.ApplyAsync(context, target, site.Domain, text);
        if (!result.Changed && (await context.ProbeAsync([.. target.ActiveProbe])).ExitCode != 0)
            await context.RunAsync([.. target.ReloadCommand]);
        if (!context.DryRun) ProxyRoutesStore.Save(context.DataDirectory, settings);
    }

    (ProxySettings Settings, ProxySite Site) Desired(StageContext context)
    {
        // Routes edited on the proxy page or by `proxy apply` come with the request; an install applies routes.json.
        var settings = routes.Edited ?? ProxyRoutesStore.LoadOrDefault(context.DataDirectory, routes.Domain, routes.PanelType);
        return (settings, settings.Validate());
    }
}
