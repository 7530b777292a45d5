using ControlPanel.Components;
using ControlPanel.Components.Dashboard;
using ControlPanel.Composition;
using ControlPanel.Engine.Audit;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Web.Auth;
using ControlPanel.Web.Jobs;
using ControlPanel.Web.Localization;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.HttpOverrides;
using MudBlazor.Services;

namespace ControlPanel.Web;

/// <summary>Composition of the panel: engine singletons, sign-in, languages, Blazor Server with MudBlazor, endpoints.</summary>
public static class PanelApp
{
    public static WebApplication Build(PanelSettings settings, string[] args, StartupPhases phases)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The product's name whatever the entry assembly (the test panel under tests/ is another): its static web assets and data protection keys are found by it.
            ApplicationName = typeof(PanelApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        phases.End("host builder");
        builder.WebHost.UseUrls(settings.Urls);
        // "Server: Kestrel" tells a prober what it talks to, and nobody else needs it.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        // Static assets of MudBlazor come from the build's manifest when not published; a no-op in a published build.
        builder.WebHost.UseStaticWebAssets();
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // Hangfire narrates each of its server's steps at Information; what a run does is in the run's own log.
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);
        // Request lines carry query strings (the setup token): logs never hold secrets, so no per-request logging.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Its "persisted to storage in unencrypted form" warning greets every first start; we say how the keys are kept instead (below).
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager", LogLevel.Error);

        IPlanFactory plans = settings.Plans.Current();
        var hub = new LogHub();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(hub);
        builder.Services.AddSingleton(plans);
        builder.Services.AddSingleton(EngineSetup.Hosts(settings.DataDirectory));
        var engine = EngineSetup.Create(settings.DataDirectory, "panel", plans, hub,
            new JobOptions { Queue = RunQueueNames.Panel, Workers = PanelSettings.Workers, StartOnEnqueue = false, KeepsStorage = true }, settings.Node);
        phases.End("database");
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(phases);
        builder.Services.AddHostedService<RunJobsService>();
        builder.Services.AddJobsDashboard((HangfireRunQueue)engine.Queue);

        builder.Services.AddPanelAuth(settings);
        builder.Services.AddSingleton(new AuditStore(settings.DataDirectory));
        builder.Services.AddSingleton(new RunQueries(settings.DataDirectory));
        builder.Services.AddSingleton<RunLogFeed>();
        builder.Services.AddSingleton<PlanPreviews>();
        builder.Services.AddSingleton<CertificateQueries>();
        builder.Services.AddSingleton<ProxyEditor>();
        builder.Services.AddSingleton<PanelDefaults>();
        builder.Services.AddScoped<OneTimeNotice>();
        builder.Services.AddSingleton(new DashboardSection(10, typeof(InstallStateCard)));
        builder.Services.AddSingleton(new DashboardSection(15, typeof(ServicesCard)));
        builder.Services.AddSingleton(new DashboardSection(20, typeof(HostFactsCard)));
        builder.Services.AddSingleton(new DashboardSection(30, typeof(CertificatesCard)));
        builder.Services.AddSingleton(new DashboardSection(90, typeof(LastRunsCard)));

        builder.Services.AddLocalization();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddTransient<MudBlazor.MudLocalizer, PanelMudLocalizer>();

        var app = builder.Build();
        phases.End("services");
        app.Logger.LogInformation("Sign-in keys in {Keys}: the directory is 0700 and each key file 0600, for root and this user only. " +
            "They are not encrypted on disk: a key to encrypt them would sit on this host, readable by the same users.", AuthSetup.KeysDirectory(settings));
        if (settings.Plans.Notice is { } notice)
            app.Logger.LogWarning("{Notice}", notice.Text);
        // The job server starts after the first answer (RunJobsService): marks it.
        app.Use(async (context, next) =>
        {
            await next(context);
            phases.Answered();
        });
        // Behind our nginx (install.sh --public): the client's scheme and address, believed from loopback proxies only.
        app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto });
        app.UseSecurityHeaders();
        // An address with nothing behind it gets the panel's own page (with its layout and links), status 404 kept.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization(o => o
            .SetDefaultCulture(PanelCultures.English)
            .AddSupportedCultures(PanelCultures.Supported)
            .AddSupportedUICultures(PanelCultures.Supported));
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        CultureEndpoint.Map(app);
        AuthSetup.MapLogout(app);
        LogDownload.Map(app);
        app.MapJobsDashboard((HangfireRunQueue)app.Services.GetRequiredService<RunEngine>().Queue);
        // Our policy says frame-ancestors 'none' already; Blazor's own header would add a second, laxer one ('self').
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        phases.End("endpoints");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            phases.End("listening");
            app.Logger.LogInformation("Answering {Total:0} ms after the process started: {Phases}", phases.Total.TotalMilliseconds, phases);
        });
        return app;
    }
}
