using System.Net;
using ControlPanel.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>First start, sign-in, waits after failures, logout and language, in a real browser against the real panel.</summary>
[Collection(E2ECollection.Name)]
public sealed class AccessTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    [Fact]
    public async Task FirstStart_SetupTokenWorksOnce_AndEverythingElseNeedsSignIn()
    {
        var url = await Server.SetupUrl.WaitAsync(TimeSpan.FromSeconds(30));
        var tokenFile = Path.Combine(Server.DataDirectory, "setup-token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.Equal(url.Split("token=")[1], File.ReadAllText(tokenFile).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.Combine(Server.DataDirectory, "keys")));

        using (var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(Server.BaseUrl) })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            foreach (var path in new[] { "/", "/install", "/runs", "/runs/1", "/runs/1/log", "/settings", "/audit", "/certificates", "/proxy" })
            {
                var response = await http.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.AbsolutePath == "/login",
                    $"{path} answered {(int)response.StatusCode} {response.Headers.Location} without sign-in");
            }
            // No default password: nobody can sign in before the setup.
            var login = await http.GetAsync("/login");
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Equal("DENY", login.Headers.GetValues("X-Frame-Options").Single());
        }
        // The keys behind cookies and antiforgery tokens: each file 0600 in that 0700 directory, as the log says
        // in place of ASP.NET's "persisted unencrypted" warning.
        var keys = Path.Combine(Server.DataDirectory, "keys");
        var keyFiles = Directory.GetFiles(keys, "key-*.xml");
        Assert.NotEmpty(keyFiles);
        Assert.All(keyFiles, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Contains($"Sign-in keys in {keys}: the directory is 0700 and each key file 0600", Server.Console);
        Assert.DoesNotContain("unencrypted form", Server.Console);
        // Where the start went, phase by phase, once the panel answers; the job server's line follows it, started only
        // once the first answer went out (the fixture asked /healthz).
        Assert.Matches(@"Answering \d+ ms after the process started: runtime and command line \d+ ms, host builder \d+ ms, " +
            @"database \d+ ms, services \d+ ms, endpoints \d+ ms, listening \d+ ms", Server.Console);
        for (var i = 0; i < 300 && !Server.Console.Contains("Job server running"); i++) await Task.Delay(100);
        Assert.Matches(@"Job server running \d+ ms after the process started: .*listening \d+ ms, first answer \d+ ms, job server \d+ ms", Server.Console);

        await Page.GotoAsync(url.Replace("token=", "token=x"));
        await Expect(Test("setup-invalid")).ToBeVisibleAsync();

        await Page.GotoAsync(url);
        await Page.FillAsync("#password", "short");
        await Page.FillAsync("#confirm", "short");
        await Page.ClickAsync("#setup-submit");
        await Expect(Test("setup-error")).ToContainTextAsync("New password");
        await Chromium.ScreenshotAsync(Page, "01-setup-error");

        await Page.FillAsync("#password", AdminPassword);
        await Page.FillAsync("#confirm", AdminPassword);
        await Page.ClickAsync("#setup-submit");
        await Page.WaitForURLAsync(Server.BaseUrl + "/");
        await Expect(Test("user")).ToHaveTextAsync("admin");
        Assert.False(File.Exists(tokenFile));
        // The token was printed once, in the setup line, and never reached the request logs.
        var token = url.Split("token=")[1];
        Assert.Single(Server.Console.Split('\n'), line => line.Contains(token));
        await Chromium.ScreenshotAsync(Page, "02-dashboard-first");

        // The token is spent: a second use, even signed out in another browser, is refused.
        var other = await NewContextAsync();
        var page = await other.NewPageAsync();
        await page.GotoAsync(url);
        await Expect(page.Locator("[data-test='setup-invalid']")).ToBeVisibleAsync();
        await other.CloseAsync();
    }

    [Fact]
    public async Task Login_WrongPasswordThenRight_Logout_AndGrowingWaitsAfterRepeatedFailures()
    {
        await SetUpAdminAsync();
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/install");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/login"));

        await LoginAsync(page, "not the password");
        await Expect(page.Locator("[data-test='login-error']")).ToContainTextAsync("Wrong");
        await Chromium.ScreenshotAsync(page, "03-login-wrong-password");

        await LoginAsync(page, AdminPassword);
        await page.WaitForURLAsync(Server.BaseUrl + "/install");
        await ReadyAsync(page);
        await page.Locator("[data-test='logout']").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/login$"));
        await page.GotoAsync("/runs");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/login"));

        // Wrong guesses make the next attempts wait, longer each time (and the wait is shown); they never lock the owner out.
        var error = page.Locator("[data-test='login-error']");
        async Task<string> ErrorText() => await error.CountAsync() > 0 ? await error.TextContentAsync() ?? "" : "";
        for (var i = 0; i < 10 && !(await ErrorText()).Contains("try again"); i++)
        {
            await LoginAsync(page, "wrong " + i);
            await page.WaitForLoadStateAsync();
        }
        await Expect(error).ToContainTextAsync("try again in");
        var wait = int.Parse(System.Text.RegularExpressions.Regex.Match((await error.TextContentAsync())!, @"in (\d+) s").Groups[1].Value);
        Assert.InRange(wait, 1, 60);
        await Task.Delay(TimeSpan.FromSeconds(wait + 0.5));
        await LoginAsync(page, AdminPassword);
        await page.WaitForURLAsync(Server.BaseUrl + "/runs");
        await context.CloseAsync();

        // The first session is still signed in and sees all of it in the audit log.
        await GoAsync("/audit");
        foreach (var action in new[] { "setup", "login", "login-failed", "logout", "login-throttled" })
            await Expect(Page.Locator($"[data-test='audit'] tr[data-action='{action}']").First).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(Page, "04-audit-log");
    }

    [Fact]
    public async Task Language_SwitchesToChineseAndBack()
    {
        await SetUpAdminAsync();
        await Test("lang-zh").ClickAsync();
        await Expect(Test("nav-dashboard")).ToHaveTextAsync("仪表盘");
        await ReadyAsync(Page);
        await Test("nav-install").ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("安装 faasd 套件");
        await Expect(Page.Locator("label[for='domain']")).ToHaveTextAsync("域名");
        await Test("preview-button").ClickAsync();
        await Expect(Test("error-domain")).ToContainTextAsync("域名: 为必填项");
        // A reason shared by several validators (SshTarget, the cache, registries), shown by its key in Chinese.
        await Page.FillAsync("#domain", "panel.example.com");
        await Page.FillAsync("#email", "admin@example.com");
        await Page.FillAsync("#target", "ssh://root@203.0.113.5:70000");
        await Test("preview-button").ClickAsync();
        await Expect(Test("error-target")).ToHaveTextAsync("目标主机: 端口不在 1-65535 范围内");
        await Chromium.ScreenshotAsync(Page, "05-install-chinese");

        await Page.Locator("[data-test='logout']").ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("登录");
        await Chromium.ScreenshotAsync(Page, "06-login-chinese");
        await Test("lang-en").ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Sign in");
    }

    [Fact]
    public async Task TwoFactor_OnceTurnedOn_SignInNeedsTheCode()
    {
        await SetUpAdminAsync();
        await GoAsync("/settings");
        await Test("totp-begin").ClickAsync();
        var secret = await Test("totp-secret").TextContentAsync();
        var key = OtpNet.Base32Encoding.ToBytes(secret!);
        await Page.FillAsync("#totp-code", "000000" == ControlPanel.Web.Auth.Totp.Code(key, DateTimeOffset.UtcNow) ? "111111" : "000000");
        await Test("totp-confirm").ClickAsync();
        await Expect(Page.Locator(".field-error")).ToBeVisibleAsync();
        await Page.FillAsync("#totp-code", ControlPanel.Web.Auth.Totp.Code(key, DateTimeOffset.UtcNow));
        await Test("totp-confirm").ClickAsync();

        // Turning it on ended every session, this one too: the next sign-in needs the code, then back to the settings.
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/login\\?returnUrl=%2Fsettings$"));
        await LoginAsync(Page, AdminPassword);
        await Expect(Test("login-error")).ToBeVisibleAsync();
        await Expect(Page.Locator("#code")).ToBeVisibleAsync();
        await LoginAsync(Page, AdminPassword, ControlPanel.Web.Auth.Totp.Code(key, DateTimeOffset.UtcNow));
        await Page.WaitForURLAsync(Server.BaseUrl + "/settings");
        await ReadyAsync(Page);
        await Expect(Test("totp-on")).ToBeVisibleAsync();
        await Expect(Test("recovery-left")).ToContainTextAsync("10 recovery codes left");
    }

    [Fact]
    public async Task TwoFactor_RecoveryCodes_ShownOnce_EachSignsInOnce_NewOnesReplaceThem()
    {
        await SetUpAdminAsync();
        await GoAsync("/settings");
        await Test("totp-begin").ClickAsync();
        await Expect(Page.Locator("[data-test='recovery-codes'] li")).ToHaveCountAsync(10);
        var codes = await Page.Locator("[data-test='recovery-codes'] li").AllTextContentsAsync();
        Assert.Equal(10, codes.Count);
        Assert.All(codes, c => Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}$", c.Trim()));
        Assert.Equal(10, codes.Distinct().Count());
        var key = OtpNet.Base32Encoding.ToBytes((await Test("totp-secret").TextContentAsync())!);
        await Page.FillAsync("#totp-code", ControlPanel.Web.Auth.Totp.Code(key, DateTimeOffset.UtcNow));
        await Test("totp-confirm").ClickAsync();
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/login\\?returnUrl=%2Fsettings$"));

        // A recovery code stands in for the authenticator, typed as people type it (upper case, no dash) ...
        await SignInWithCodeAsync(codes[3].Trim().Replace("-", "").ToUpperInvariant());
        await Page.WaitForURLAsync(Server.BaseUrl + "/settings");
        await ReadyAsync(Page);
        await Expect(Test("recovery-left")).ToContainTextAsync("9 recovery codes left");
        Assert.DoesNotContain(codes[3].Trim(), await Page.ContentAsync());

        // ... once.
        await Page.Locator("[data-test='logout']").ClickAsync();
        await SignInWithCodeAsync(codes[3].Trim());
        await Expect(Test("login-error")).ToContainTextAsync("Wrong user name, password or code");
        Assert.Contains("/login", Page.Url);

        // New codes replace the old ones: an old unused one no longer works, a new one does.
        await SignInWithCodeAsync(codes[4].Trim());
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/$"));
        await GoAsync("/settings");
        await Test("recovery-new").ClickAsync();
        await Expect(Page.Locator("[data-test='recovery-codes'] li")).ToHaveCountAsync(10);
        var fresh = await Page.Locator("[data-test='recovery-codes'] li").AllTextContentsAsync();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(codes));
        await Expect(Test("recovery-left")).ToContainTextAsync("10 recovery codes left");
        await Page.Locator("[data-test='logout']").ClickAsync();
        await SignInWithCodeAsync(codes[5].Trim());
        await Expect(Test("login-error")).ToContainTextAsync("Wrong user name, password or code");
        await SignInWithCodeAsync(fresh[0].Trim());
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/$"));

        await GoAsync("/audit");
        await Expect(Page.Locator("main")).ToContainTextAsync("with a recovery code, 9 left");
        await Expect(Page.Locator("main")).ToContainTextAsync("recovery-codes-new");
    }

    /// <summary>Signs in with a code: the code field shows once the password alone was asked for it (or a code failed).</summary>
    async Task SignInWithCodeAsync(string code)
    {
        if (!await Page.Locator("#code").IsVisibleAsync())
        {
            await LoginAsync(Page, AdminPassword);
            await Page.Locator("#code").WaitForAsync();
        }
        await LoginAsync(Page, AdminPassword, code);
    }
}
