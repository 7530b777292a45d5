using System.Globalization;
using Bunit;
using ControlPanel.Components.Pages;
using ControlPanel.Resources;
using ControlPanel.Web.Localization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Tests.Components;

/// <summary>
/// The pages, rendered by bUnit over the panel's real services (engine, database, dry-run previews): each shows its
/// title in both languages, and the forms answer typing and clicks as a user expects.
/// </summary>
public sealed class PagesTests : IAsyncDisposable
{
    readonly PanelUi ui = new();

    public ValueTask DisposeAsync() => ui.DisposeAsync();

    public static TheoryData<string, string> PagesAndCultures()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in Titles.Keys)
            foreach (var culture in PanelCultures.Supported)
                data.Add(page, culture);
        return data;
    }

    static readonly Dictionary<string, (Type Page, Text Title)> Titles = new()
    {
        ["install"] = (typeof(Install), S.InstallTitle),
        ["runs"] = (typeof(Runs), S.NavRuns),
        ["uninstall"] = (typeof(Uninstall), S.UninstallTitle),
        ["not-found"] = (typeof(NotFound), S.NotFoundTitle),
        ["dashboard"] = (typeof(Home), S.NavDashboard),
        ["hosts"] = (typeof(Hosts), S.HostsTitle),
        ["certificates"] = (typeof(Certificates), S.CertTitle),
        ["mirrors"] = (typeof(Mirrors), S.MirrorsTitle),
        ["proxy"] = (typeof(Proxy), S.ProxyTitle),
        ["registry-cache"] = (typeof(RegistryCache), S.CacheTitle),
        ["sessions"] = (typeof(Sessions), S.NavSessions),
        ["settings"] = (typeof(Settings), S.NavSettings),
        ["audit"] = (typeof(AuditPage), S.NavAudit),
    };

    [Theory]
    [MemberData(nameof(PagesAndCultures))]
    public void Each_page_shows_its_title_in_the_language_asked(string page, string culture)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            var (type, title) = Titles[page];
            var rendered = ui.Context.Render(b => { b.OpenComponent(0, type); b.CloseComponent(); });
            rendered.WaitForAssertion(() => Assert.Equal(title.ToString(), rendered.Find("h1").TextContent.Trim()));
            Assert.Equal(culture == PanelCultures.Chinese ? title.Zh : title.En, rendered.Find("h1").TextContent.Trim());
        }
        finally { CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = before; }
    }

    [Fact]
    public void The_install_form_names_the_wrong_field_and_clears_the_error_as_it_is_fixed()
    {
        var page = ui.Render<Install>();
        page.Find("#domain").Input("not a domain");
        page.Find("#email").Input("admin@example.com");
        page.Find("[data-test='preview-button']").Click();
        page.WaitForAssertion(() => Assert.Contains("Domain", page.Find("[data-test='error-domain']").TextContent));
        Assert.True(page.Find("[data-test='start-button']").HasAttribute("disabled"));

        page.Find("#domain").Input("panel.example.com");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-test='error-domain']")));
    }

    [Fact]
    public void The_install_form_shows_every_wrong_field_at_once_each_at_its_field_and_only_those_typed_before_a_preview()
    {
        var page = ui.Render<Install>();
        page.Find("#domain").Input("not a domain");
        // Typed: its error shows at once; the e-mail, not touched yet, is not called wrong.
        page.WaitForAssertion(() => Assert.Contains("Domain", page.Find("[data-test='error-domain']").TextContent));
        Assert.Empty(page.FindAll("[data-test='error-email']"));

        page.Find("#mirror").Input("ftp://mirror.example.com");
        page.Find("[data-test='preview-button']").Click();
        page.WaitForAssertion(() => Assert.Equal(["error-domain", "error-email", "error-downloadmirror"],
            page.FindAll(".field-error").Select(e => e.GetAttribute("data-test"))));

        page.Find("#email").Input("admin@example.com");
        page.WaitForAssertion(() => Assert.Equal(["error-domain", "error-downloadmirror"], page.FindAll(".field-error").Select(e => e.GetAttribute("data-test"))));
        page.Find("#domain").Input("panel.example.com");
        page.Find("#mirror").Input("");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".field-error")));
    }

    [Fact]
    public void The_install_form_has_no_start_before_a_preview()
    {
        var page = ui.Render<Install>();
        page.Find("#domain").Input("panel.example.com");
        page.Find("#email").Input("admin@example.com");
        page.WaitForAssertion(() => Assert.True(page.Find("[data-test='start-button']").HasAttribute("disabled")));
        Assert.Contains(S.PreviewFirst.ToString(), page.Find(".actions").TextContent);
    }

    [Fact]
    public void The_runs_page_of_a_fresh_panel_says_there_are_none()
    {
        var page = ui.Render<Runs>();
        page.WaitForAssertion(() => Assert.Equal(S.NoRuns.ToString(), page.Find("[data-test='no-runs']").TextContent));
    }

    [Fact]
    public void Uninstall_shows_no_start_before_its_preview()
    {
        var page = ui.Render<Uninstall>();
        Assert.Empty(page.FindAll("[data-test='start-button']"));
        Assert.NotEmpty(page.FindAll("[data-test='preview-button']"));
    }

    [Fact]
    public void A_delete_asks_first_and_back_leaves_everything_as_it_was()
    {
        var dialogs = ui.Context.Render<MudDialogProvider>();
        var service = ui.Context.Services.GetService(typeof(IDialogService)) as IDialogService;
        Task<bool>? answer = null;
        dialogs.InvokeAsync(() => answer = ControlPanel.Components.Dialogs.ConfirmDialog.ConfirmAsync(service!, "Delete run 7?", "Delete"));
        dialogs.WaitForAssertion(() => Assert.Contains("Delete run 7?", dialogs.Find(".mud-dialog").TextContent));
        var buttons = dialogs.FindAll(".mud-dialog button");
        Assert.Equal([S.Back.ToString(), "Delete"], buttons.Select(b => b.TextContent.Trim()));

        buttons.First(b => b.TextContent.Trim() == S.Back.ToString()).Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.False(answer!.Result);
    }

    [Fact]
    public void Turning_two_factor_on_shows_the_key_as_a_qr_code_beside_the_secret()
    {
        var page = ui.Render<Settings>();
        page.WaitForElement("[data-test='totp-begin']").Click();

        var secret = page.Find("[data-test='totp-secret']").TextContent;
        Assert.Matches("^[A-Z2-7]{16,}$", secret);
        var qr = page.Find("[data-test='totp-qr']");
        Assert.Equal("img", qr.GetAttribute("role"));
        Assert.NotNull(qr.QuerySelector("svg"));
        // A version-3+ code has hundreds of dark modules; an empty or broken graphic has none.
        Assert.True(qr.InnerHtml.Length > 2000, $"QR SVG of {qr.InnerHtml.Length} characters");
        Assert.NotEmpty(page.FindAll("#totp-code"));
    }

    [Fact]
    public void Certificates_start_on_staging_and_production_says_what_its_rate_limits_mean()
    {
        var page = ui.Render<Certificates>();
        var directory = page.WaitForElement("#cert-directory");
        Assert.Equal("Let's Encrypt staging (untrusted test certificates)", directory.GetAttribute("value"));
        Assert.Contains("not trusted by browsers", page.Find("[data-test='directory-hint']").TextContent);

        ui.Choose(page, "cert-directory", "letsencrypt");
        page.WaitForAssertion(() => Assert.Equal("Let's Encrypt (production)", page.Find("#cert-directory").GetAttribute("value")));
        Assert.Contains("5 certificates per week for the same set of names", page.Find("[data-test='directory-hint']").TextContent);
        ui.Choose(page, "cert-directory", "custom");
        page.WaitForAssertion(() => Assert.Equal("another CA (directory URL)", page.Find("#cert-directory").GetAttribute("value")));
        Assert.Empty(page.FindAll("[data-test='directory-hint']"));
        Assert.NotEmpty(page.FindAll("#cert-directory-url"));
    }
}
