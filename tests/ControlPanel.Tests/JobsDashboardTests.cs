using System.Net;
using ControlPanel.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>Hangfire's dashboard at /jobs: each run a named job, the recurring jobs, and nothing of it for anyone not signed in as an administrator.</summary>
[Collection(E2ECollection.Name)]
public sealed class JobsDashboardTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    protected override Task AfterPanelAsync() => SetUpAdminAsync();

    [Fact]
    public async Task Each_run_is_a_named_job_on_the_dashboard_which_only_an_administrator_reaches()
    {
        using (var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(Server.BaseUrl) })
        {
            foreach (var path in new[] { "/jobs", "/jobs/jobs/succeeded", "/jobs/recurring", "/jobs/stats" })
            {
                var response = await http.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.AbsolutePath == "/login",
                    $"{path} answered {(int)response.StatusCode} {response.Headers.Location} without sign-in");
            }
            // Its actions too: a POST from outside never reaches Hangfire.
            var trigger = await http.PostAsync("/jobs/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "run-retention")]));
            Assert.True(trigger.StatusCode == HttpStatusCode.Redirect && trigger.Headers.Location!.AbsolutePath == "/login", $"POST answered {(int)trigger.StatusCode}");
        }

        var runId = await StartInstallAsync();
        await WaitForRunStateAsync("Succeeded");
        await Test("run-job").ClickAsync();
        await Expect(Page.Locator("h1")).ToContainTextAsync($"Install on local, run {runId}");
        await Expect(Page.Locator("body")).ToContainTextAsync("Succeeded");
        await Chromium.ScreenshotAsync(Page, "80-jobs-run");

        await Page.GotoAsync(Server.BaseUrl + "/jobs/recurring");
        await Expect(Page.Locator("body")).ToContainTextAsync("certificate-renewal");
        await Expect(Page.Locator("body")).ToContainTextAsync("run-retention");
        await Chromium.ScreenshotAsync(Page, "81-jobs-recurring");

        // Signed in, a POST that does not carry the dashboard's antiforgery token is still refused.
        var forged = await Page.APIRequest.PostAsync(Server.BaseUrl + "/jobs/recurring/trigger",
            new() { Form = Context.APIRequest.CreateFormData().Append("jobs[]", "run-retention"), MaxRedirects = 0 });
        Assert.True(forged.Status is 400 or 403, $"a forged POST answered {forged.Status}");
    }
}
