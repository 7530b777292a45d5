using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Tests.Support;
using Microsoft.Playwright;

namespace ControlPanel.Tests;

/// <summary>What a probe of the panel tries: its headers, the redirects it can be talked into, the files it leaves readable, the scripts a page would run.</summary>
[Collection(E2ECollection.Name)]
public sealed class PanelHardeningTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // The usual umask, set explicitly: left to it, the data directory would be 0755 and SQLite's files 0644.
    protected override IReadOnlyList<string> ServerWrapper => ["sh", "-c", "umask 022 && exec \"$@\"", "sh"];

    HttpClient Http() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Server.BaseUrl) };

    [Fact]
    public async Task Every_answer_carries_the_content_security_policy_and_no_server_name()
    {
        using var http = Http();
        foreach (var path in new[] { "/login", "/healthz", "/", "/app.css", "/_framework/blazor.web.js", "/no-such-page" })
        {
            var r = await http.GetAsync(path);
            Assert.False(r.Headers.Contains("Server"), $"{path} names its server: {string.Join(",", r.Headers.TryGetValues("Server", out var s) ? s : [])}");
            var csp = Assert.Single(r.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self';", csp);
            Assert.Contains("script-src 'self';", csp);
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
            Assert.False(r.Headers.Contains("Strict-Transport-Security"), $"{path} sent HSTS over plain HTTP");
        }
    }

    [Fact]
    public async Task Behind_TLS_the_panel_sends_HSTS_and_its_antiforgery_cookie_is_Secure()
    {
        using var http = Http();
        static string Antiforgery(HttpResponseMessage r) =>
            r.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).ToLowerInvariant();

        // Plain HTTP on loopback (the SSH tunnel) keeps working: a Secure cookie would never come back there.
        var plain = await http.GetAsync("/login");
        Assert.DoesNotContain("; secure", Antiforgery(plain));

        // install.sh --public: nginx terminates TLS on the host and says so from loopback.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var tls = await http.SendAsync(request);
        Assert.Equal("max-age=31536000", tls.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Contains("; secure", Antiforgery(tls));
    }

    [Fact]
    public async Task Any_returnUrl_leads_to_a_page_of_the_panel_never_to_an_error_or_another_host()
    {
        using var http = Http();
        string[] elsewhere = ["/\t/evil.example", "/\u000b", "/\r\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
            " /runs", "/runs\r\nSet-Cookie: a=b", "/\u2028/evil.example", "/\u00a0", ""];
        foreach (var url in elsewhere.Append("/runs?page=2"))
        {
            var login = await http.GetAsync("/login?returnUrl=" + Uri.EscapeDataString(url));
            Assert.True(login.StatusCode == HttpStatusCode.OK, $"/login with returnUrl {Uri.EscapeDataString(url)} answered {(int)login.StatusCode}");
            var culture = await http.GetAsync("/culture?name=en&returnUrl=" + Uri.EscapeDataString(url));
            Assert.True(culture.StatusCode == HttpStatusCode.Redirect, $"/culture with returnUrl {Uri.EscapeDataString(url)} answered {(int)culture.StatusCode}");
            Assert.Equal(url == "/runs?page=2" ? url : "/", culture.Headers.Location!.OriginalString);
        }

        // Signing in from a link whose returnUrl a browser would read as another host ends on the dashboard.
        await SetUpAdminAsync();
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login?returnUrl=" + Uri.EscapeDataString("/\t/evil.example"));
        await LoginAsync(page, AdminPassword);
        await page.WaitForURLAsync(Server.BaseUrl + "/");
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_data_directory_is_0700_and_every_database_file_0600_while_the_panel_works()
    {
        await SetUpAdminAsync();
        await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");
        Assert.Equal(Private | UnixFileMode.UserExecute, File.GetUnixFileMode(Server.DataDirectory));
        // Open now: the WAL holds the admin's password hash before it reaches the database file.
        var files = Directory.GetFiles(Server.DataDirectory, "*.db*");
        Assert.Contains(Path.Combine(Server.DataDirectory, "controlpanel.db-wal"), files);
        Assert.Contains(Path.Combine(Server.DataDirectory, "jobs.db"), files);
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == Private, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
    }

    [Fact]
    public async Task An_unknown_address_gets_the_panels_own_404_page_and_the_panel_has_an_icon()
    {
        // The browser notes the 404 status of the page it was asked for: that status is the point.
        ExpectedConsoleErrors.Add(new Regex("/no/such/page: Failed to load resource: .*404"));
        using var http = Http();
        // Signed out, any address of the panel leads to the sign-in page: it tells nobody what exists.
        var anonymous = await http.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Equal("/login", anonymous.Headers.Location!.AbsolutePath);
        var icon = await http.GetAsync("/favicon.svg");
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);

        await SetUpAdminAsync();
        var page = await Page.GotoAsync("/no/such/page");
        Assert.Equal(404, page!.Status);
        await Microsoft.Playwright.Assertions.Expect(Test("not-found")).ToBeVisibleAsync();
        // In the panel's layout, with its navigation to go on from.
        await Microsoft.Playwright.Assertions.Expect(Page.Locator("[data-test='nav-runs']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_pages_work_under_the_policy_without_a_console_error()
    {
        var errors = new List<string>();
        void Watch(IPage page) => page.Console += (_, m) => { if (m.Type == "error") lock (errors) errors.Add($"{page.Url}: {m.Text}"); };

        var anonymous = await NewContextAsync();
        var signIn = await anonymous.NewPageAsync();
        Watch(signIn);
        await signIn.GotoAsync("/login");
        await signIn.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await anonymous.CloseAsync();

        Watch(Page);
        await SetUpAdminAsync();
        foreach (var path in new[] { "/", "/install", "/uninstall", "/runs", "/hosts", "/certificates", "/proxy", "/mirrors", "/registry-cache", "/settings", "/audit" })
            await GoAsync(path);
        // An interactive part: the install form's preview (a dry run rendered by the circuit).
        await GoAsync("/install");
        await Page.FillAsync("#domain", "panel.example.com");
        await Page.FillAsync("#email", "admin@example.com");
        await Test("preview-button").ClickAsync();
        await Test("preview").WaitForAsync();
        // The jobs dashboard is Hangfire's own page, under the same policy.
        await Page.GotoAsync("/jobs");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
