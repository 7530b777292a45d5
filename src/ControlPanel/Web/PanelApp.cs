using ControlPanel.Cli;
using ControlPanel.Components;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;
using Radzen;

namespace ControlPanel.Web;

/// <summary>Composition of the panel: engine singletons, Blazor Server with Radzen, health endpoint.</summary>
public static class PanelApp
{
    public static WebApplication Build(PanelSettings settings, string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls(settings.Urls);
        // Static assets of Radzen come from the build's manifest when not published; a no-op in a published build.
        builder.WebHost.UseStaticWebAssets();
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);

        var hub = new LogHub();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(hub);
        builder.Services.AddSingleton(_ => EngineSetup.Create(settings.DataDirectory, "panel", hub: hub));
        builder.Services.AddHostedService<StartupRecovery>();
        builder.Services.AddHostedService<CertificateRenewalService>();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();

        var app = builder.Build();
        app.UseStaticFiles();
        app.UseAntiforgery();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>Runs left Running by a process that died are Interrupted, resumable from the panel.</summary>
    sealed class StartupRecovery(RunEngine engine, ILogger<StartupRecovery> log) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var recovered = await engine.RecoverInterruptedAsync();
            if (recovered.Count > 0) log.LogWarning("runs interrupted by a previous stop: {Runs}", string.Join(", ", recovered));
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
