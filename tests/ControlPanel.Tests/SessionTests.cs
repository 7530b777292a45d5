using System.Net;
using System.Text.RegularExpressions;
using ControlPanel.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>Sessions end on the server: a copied cookie dies with the sign-out, and a session ended from the sessions page signs its browser out.</summary>
[Collection(E2ECollection.Name)]
public sealed partial class SessionTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    [GeneratedRegex("/login")]
    private static partial Regex SignInPage();

    /// <summary>A request carrying another browser's cookies, as a thief who copied them would send it.</summary>
    async Task<HttpResponseMessage> ReplayAsync(IReadOnlyList<BrowserContextCookiesResult> cookies, string path)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Server.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task A_password_change_asks_the_current_one_ends_every_session_and_only_the_new_one_signs_in()
    {
        await SetUpAdminAsync();
        var copied = await Context.CookiesAsync();
        await GoAsync("/settings");

        // Every error of the new password at once, and nothing changes.
        await Page.FillAsync("#current-password", AdminPassword);
        await Page.FillAsync("#new-password", "short");
        await Page.FillAsync("#repeat-password", "other");
        await Test("password-change").ClickAsync();
        await Expect(Test("error-newpassword")).ToContainTextAsync("at least 12");
        await Expect(Test("error-repeatpassword")).ToContainTextAsync("does not match");

        // A wrong current password is refused (and counted like a failed sign-in).
        const string next = "a new horse battery staple";
        await Page.FillAsync("#current-password", "not the password");
        await Page.FillAsync("#new-password", next);
        await Page.FillAsync("#repeat-password", next);
        await Test("password-change").ClickAsync();
        await Expect(Test("password-refused")).ToContainTextAsync("current password is wrong");
        await Expect(Test("error-newpassword")).ToHaveCountAsync(0);

        await Page.FillAsync("#current-password", AdminPassword);
        await Test("password-change").ClickAsync();
        await Page.WaitForURLAsync(new Regex("/login\\?returnUrl=%2Fsettings$"));
        // The change ended the session on the server: a copy of the old cookie gets the sign-in page.
        var replayed = await ReplayAsync(copied, "/runs");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/login", replayed.Headers.Location!.AbsolutePath);

        await LoginAsync(Page, AdminPassword);
        await Expect(Test("login-error")).ToBeVisibleAsync();
        await LoginAsync(Page, next);
        await Page.WaitForURLAsync(Server.BaseUrl + "/settings");
        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='password-change-refused']")).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='password-change']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server_so_a_copied_cookie_gets_the_sign_in_page()
    {
        await SetUpAdminAsync();
        var copied = await Context.CookiesAsync();
        Assert.Contains(copied, c => c.Name == "controlpanel.auth");
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(copied, "/runs")).StatusCode);

        await Test("logout").ClickAsync();
        await Page.WaitForURLAsync(new Regex("/login$"));
        var replayed = await ReplayAsync(copied, "/runs");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/login", replayed.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_session_ended_from_the_sessions_page_is_signed_out_and_its_open_page_goes_to_sign_in()
    {
        await SetUpAdminAsync();
        var other = await NewContextAsync();
        var laptop = await other.NewPageAsync();
        await laptop.GotoAsync("/login");
        await LoginAsync(laptop, AdminPassword);
        await laptop.WaitForURLAsync(Server.BaseUrl + "/");
        await laptop.GotoAsync("/runs");
        await ReadyAsync(laptop);
        var laptopCookies = await other.CookiesAsync();

        await GoAsync("/sessions");
        var rows = Page.Locator("[data-test='sessions'] tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(Page.Locator("[data-test='sessions'] tr[data-current='1'] [data-test='session-current']")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(Page, "sessions");
        await Page.Locator("[data-test='sessions'] tr[data-current='0'] [data-test='session-end']").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);

        // The laptop's open page is checked again every few seconds and sent to sign in; its cookie no longer opens anything.
        await laptop.WaitForURLAsync(SignInPage(), new PageWaitForURLOptions { Timeout = 30_000 });
        var replayed = await ReplayAsync(laptopCookies, "/");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        await other.CloseAsync();

        // This session goes on, and the audit log says what was done.
        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='session-end']")).ToBeVisibleAsync();
    }
}
