using System.Security.Cryptography.X509Certificates;
using ControlPanel.TestPeers;
using ControlPanel.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>The certificates page against Debian's real pebble on loopback: issue, list, renew, and the CA's refusal.</summary>
[Collection(E2ECollection.Name)]
public sealed class CertificateTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    Pebble pebble = default!;
    string Out(string name) => Path.Combine(Server.Root, "certs", name);

    protected override async Task AfterPanelAsync()
    {
        pebble = await Pebble.StartAsync();
        await SetUpAdminAsync();
    }

    public override async Task DisposeAsync()
    {
        if (pebble is not null) await pebble.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Issue_ListsTheCertificateWithExpiry_RenewReplacesIt_AndAFailedChallengeShowsTheCasProblem()
    {
        await GoAsync("/certificates");
        await Expect(Test("no-certificates")).ToBeVisibleAsync();

        // A bad value is refused naming the field; nothing starts.
        await FillIssueFormAsync("panel.test, www.panel.test", pebble.HttpPort, Out("panel"));
        await Page.FillAsync("#cert-http-port", "0");
        await Page.FillAsync("#cert-directory-url", "http://127.0.0.1:1/dir");
        await Test("cert-issue-preview").ClickAsync();
        // Both wrong fields at once, each at its own.
        await Expect(Test("error-httpport")).ToHaveTextAsync("HTTP-01 port: must be a port number from 1 to 65535");
        await Expect(Test("error-directoryurl")).ToContainTextAsync("ACME directory URL: must be https://");
        await Expect(Test("tracked-run")).ToHaveCountAsync(0);
        await Expect(Test("cert-issue-preview-result")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(Page, "40-certificates-invalid");

        // The dry run first: which files the certificate would be written to, the key private; the CA is not asked.
        await FillIssueFormAsync("panel.test, www.panel.test", pebble.HttpPort, Out("panel"));
        await Test("cert-issue-preview").ClickAsync();
        var preview = Test("cert-issue-preview-result");
        await Expect(preview).ToContainTextAsync(Path.Combine(Out("panel"), "privkey.pem"));
        await Expect(preview).ToContainTextAsync("0600");
        Assert.False(Directory.Exists(Out("panel")) && Directory.EnumerateFiles(Out("panel")).Any());
        await Chromium.ScreenshotAsync(Page, "40-certificates-preview");
        await Test("cert-issue-start").ClickAsync();
        await WaitForWorkAsync("Succeeded");
        var row = Page.Locator("[data-test='certificates'] tr[data-cert='panel.test,www.panel.test']");
        await Expect(row).ToHaveAttributeAsync("data-state", "ok");
        var issued = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Out("panel"), "cert.pem")));
        await Expect(row.Locator("[data-test='cert-expiry']")).ToHaveTextAsync(issued.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss") + "Z");
        await Expect(row.Locator("[data-test='cert-days']")).ToHaveTextAsync($"{(int)Math.Floor((issued.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays)} days left");
        await Expect(row.Locator("[data-test='cert-account']")).ToContainTextAsync($"https://127.0.0.1:{pebble.Port}/");
        await Expect(row).ToContainTextAsync("admin@panel.test");
        await Chromium.ScreenshotAsync(Page, "41-certificates-issued");

        // Renew now: a new certificate (new serial) in the same files, through a tracked run.
        await row.Locator("[data-test='cert-renew']").ClickAsync();
        await WaitForWorkAsync("Succeeded");
        await Expect(Test("tracked-run")).ToContainTextAsync("Renew certificate");
        var renewed = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Out("panel"), "cert.pem")));
        Assert.NotEqual(issued.SerialNumber, renewed.SerialNumber);

        // Our listener on a port pebble does not validate: the CA's problem document, verbatim, on the page.
        await FillIssueFormAsync("fail.test", LoopbackPorts.Tcp(), Out("fail"));
        await Test("cert-issue-preview").ClickAsync();
        await Test("cert-issue-start").ClickAsync();
        await WaitForWorkAsync("Failed");
        await Expect(Test("tracked-run-error")).ToContainTextAsync("urn:ietf:params:acme:error:connection");
        var failed = Page.Locator("[data-test='certificates'] tr[data-cert='fail.test']");
        await Expect(failed).ToHaveAttributeAsync("data-state", "not issued");
        await Expect(Page.Locator("tr[data-cert-error='fail.test'] [data-test='cert-error']")).ToContainTextAsync("urn:ietf:params:acme:error:connection");
        Assert.False(File.Exists(Path.Combine(Out("fail"), "privkey.pem")));
        await Chromium.ScreenshotAsync(Page, "42-certificates-failed");

        // The run is in the history with its log, and the actions are audited.
        await Test("tracked-run-link").ClickAsync();
        await ReadyAsync(Page);
        await Expect(Test("run")).ToHaveAttributeAsync("data-state", "Failed");
        await Expect(StageRow("certificate").Locator("[data-test='stage-error']")).ToContainTextAsync("urn:ietf:params:acme:error:connection");
        await GoAsync("/audit");
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='cert-issue']")).ToHaveCountAsync(2);
        await Expect(Page.Locator("[data-test='audit'] tr[data-action='cert-renew']")).ToHaveCountAsync(1);

        await Test("lang-zh").ClickAsync();
        await Expect(Test("nav-certificates")).ToHaveTextAsync("证书");
        await GoAsync("/certificates");
        await Expect(Page.Locator("[data-test='certificates'] tr[data-cert='panel.test,www.panel.test'] [data-test='cert-state']")).ToHaveTextAsync("有效");
        await Chromium.ScreenshotAsync(Page, "43-certificates-chinese");
    }

    long lastRun;

    /// <summary>Waits for the run the last click started (the page keeps showing the previous one until then) to end in this state.</summary>
    async Task WaitForWorkAsync(string state)
    {
        var work = Page.Locator($"[data-test='tracked-run']:not([data-run='{lastRun}'])");
        await Expect(work).ToHaveAttributeAsync("data-state", state, new() { Timeout = 60_000 });
        lastRun = long.Parse((await work.GetAttributeAsync("data-run"))!);
    }

    async Task FillIssueFormAsync(string domains, int httpPort, string certDirectory)
    {
        await Page.FillAsync("#cert-domains", domains);
        await Page.FillAsync("#cert-email", "admin@panel.test");
        await ChooseAsync("cert-directory", "custom");
        await Page.FillAsync("#cert-directory-url", pebble.DirectoryUrl);
        await Page.FillAsync("#cert-directory-ca", pebble.CaFile);
        await Page.FillAsync("#cert-http-port", httpPort.ToString());
        await Page.FillAsync("#cert-dir", certDirectory);
    }
}
