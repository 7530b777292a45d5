using Bunit;
using Bunit.TestDoubles;
using ControlPanel.Engine.Data;
using ControlPanel.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace ControlPanel.Tests.Components;

/// <summary>
/// bUnit with the panel's own composition: the services come from <see cref="PanelApp.Build"/> on a throwaway data
/// directory (the real engine, its database, previews on the dry-run host), never started, so no port and no job server.
/// MudBlazor's services and the JS runtime are bUnit's (loose: MudBlazor's JS calls answer with defaults).
/// </summary>
public sealed class PanelUi : IAsyncDisposable
{
    readonly WebApplication app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "cp-ui-" + Guid.NewGuid().ToString("N")[..10]);
    public BunitContext Context { get; } = new();
    /// <summary>Who the pages see signed in: "admin" without claims until a test sets them.</summary>
    public BunitAuthorizationContext Authorization { get; }

    public PanelUi()
    {
        app = PanelApp.Build(new PanelSettings(DataDirectory, "http://127.0.0.1:0"), [], new StartupPhases());
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddFallbackServiceProvider(app.Services);
        Authorization = Context.AddAuthorization();
        Authorization.SetAuthorized("admin");
    }

    /// <summary>A managed certificate as the issuing stage records it, <paramref name="daysLeft"/> days from expiry.</summary>
    public async Task AddCertificateAsync(string domain, int daysLeft, string? lastError = null)
    {
        var now = DateTime.UtcNow;
        await using var db = ControlPanelDb.Open(DataDirectory);
        db.Certificates.Add(new CertificateRecord
        {
            HostSpec = "local", CertDirectory = "/etc/letsencrypt/live/" + domain, Domains = domain, DirectoryUrl = "https://acme.test/dir",
            KeyType = "ec-p256", ChallengeMode = "standalone", Webroot = "", ListenAddress = "127.0.0.1",
            NotBefore = now.AddDays(daysLeft - 90), NotAfter = now.AddDays(daysLeft).AddHours(1), LastError = lastError, CreatedAt = now,
        });
        await db.SaveChangesAsync();
    }

    /// <summary>MudBlazor's popovers (a select's list, a menu) render here, outside the page, as in the layout.</summary>
    public IRenderedComponent<MudPopoverProvider> Popovers => popovers ??= Context.Render<MudPopoverProvider>();
    IRenderedComponent<MudPopoverProvider>? popovers;

    /// <summary>Opens a <c>ChoiceField</c>'s list as a user does; returns its items (value in <c>data-value</c>, text as shown).</summary>
    public IReadOnlyList<AngleSharp.Dom.IElement> OpenChoices<T>(IRenderedComponent<T> page, string id) where T : Microsoft.AspNetCore.Components.IComponent
    {
        var list = Popovers;
        page.Find($".mud-input-control:has(input#{id})").MouseDown();
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll(".mud-popover-open [data-value]")));
        return list.FindAll(".mud-popover-open [data-value]");
    }

    /// <summary>Picks a value of a <c>ChoiceField</c> as a user does: opens its list, clicks the item.</summary>
    public void Choose<T>(IRenderedComponent<T> page, string id, string value) where T : Microsoft.AspNetCore.Components.IComponent =>
        OpenChoices(page, id).Single(i => i.GetAttribute("data-value") == value).Click();

    public T Service<T>() where T : notnull => app.Services.GetRequiredService<T>();

    public IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : Microsoft.AspNetCore.Components.IComponent =>
        Context.Render(parameters ?? (_ => { }));

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await app.DisposeAsync();
        try { Directory.Delete(DataDirectory, true); } catch (IOException) { }
    }
}
