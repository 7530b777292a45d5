using ControlPanel.Engine.Data;
using ControlPanel.Engine.Files;
using ControlPanel.Web.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ControlPanel.Engine.Audit;

namespace ControlPanel.Web.Auth;

/// <summary>
/// Cookie sign-in for the panel. Everything needs a signed-in user except what is marked AllowAnonymous
/// (/healthz, /login, /setup, /culture). Cookies are protected with keys kept in DATA/keys (0700), so they survive restarts.
/// </summary>
public static class AuthSetup
{
    public const string AdministratorRole = "administrator";
    /// <summary>The policy of what only an administrator may see (the jobs dashboard): a signed-in user in that role.</summary>
    public const string AdministratorPolicy = "administrator";

    /// <summary>Where the keys that protect sign-in cookies and antiforgery tokens are kept.</summary>
    public static string KeysDirectory(PanelSettings settings) => Path.Combine(settings.DataDirectory, "keys");

    public static void AddPanelAuth(this IServiceCollection services, PanelSettings settings)
    {
        var protection = services.AddDataProtection().SetApplicationName("controlpanel");
        // Several nodes share one key ring in their PostgreSQL database; a lone panel keeps its keys in DATA/keys.
        if (DatabaseLocation.Of(settings.DataDirectory) is { IsPostgres: true } postgres)
            protection.Services.Configure<KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRing(new KeyRingStore(postgres)));
        else
            protection.PersistKeysToFileSystem(new DirectoryInfo(AtomicFile.EnsureDirectory(KeysDirectory(settings), AtomicFile.PrivateDirectory)));
        services.AddSingleton(new AccountService(settings.DataDirectory));
        services.AddSingleton<SetupToken>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/login";
                o.Cookie.Name = "controlpanel.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = async ctx =>
                {
                    var accounts = ctx.HttpContext.RequestServices.GetRequiredService<AccountService>();
                    if (ctx.Principal is null || !await accounts.IsCurrentAsync(ctx.Principal))
                    {
                        ctx.RejectPrincipal();
                        await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                    }
                };
            });
        // The antiforgery cookie is as Secure as the sign-in cookie: over HTTPS (nginx in front) both are.
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAuthorization(o =>
        {
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            o.AddPolicy(AdministratorPolicy, p => p.RequireAuthenticatedUser().RequireRole(AdministratorRole));
        });
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddHostedService<FirstStartAnnouncer>();
    }

    /// <summary>POST /logout (antiforgery-checked form post).</summary>
    public static void MapLogout(WebApplication app) =>
        app.MapPost("/logout", async (HttpContext http, AuditStore audit, AccountService accounts) =>
        {
            // Ended on the server: a copy of the cookie is refused from now on, not only this browser's.
            await accounts.EndSessionAsync(http.User);
            await audit.WriteAsync(http.User.Identity?.Name, AuditActions.Logout, null, http.Connection.RemoteIpAddress?.ToString());
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/login");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());

    /// <summary>On a start without any user, makes the setup token and prints where to use it.</summary>
    sealed class FirstStartAnnouncer(AccountService accounts, SetupToken token, IServer server, IHostApplicationLifetime lifetime, ILogger<FirstStartAnnouncer> log) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (await accounts.HasUsersAsync()) return;
            var value = token.Create();
            // The bound address is known only once the server listens (a port of 0 picks a free one).
            lifetime.ApplicationStarted.Register(() =>
            {
                var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:8800";
                var url = $"{address.TrimEnd('/')}/setup?token={value}";
                // The token goes to the console (the journal under systemd) and the 0600 file only, not to the log sinks.
                Console.WriteLine($"First start: no admin account exists. Set the admin password once at:\nSETUP URL: {url}\n(the token is also in {token.FilePath})");
                log.LogWarning("First start: waiting for the admin password to be set through the one-time setup URL");
            });
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
