using ControlPanel.TestPeers;
using ControlPanel.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>The install form's target host: the engine's host spec (ssh://user@host:port), validated naming the field, passed to the run.</summary>
[Collection(E2ECollection.Name)]
public sealed class InstallTargetTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    [Fact]
    public async Task InvalidTargetNamesTheField_AndAValidOneIsWhereThePreviewGoes()
    {
        await SetUpAdminAsync();
        await GoAsync("/install");
        await Page.FillAsync("#domain", "panel.example.com");
        await Page.FillAsync("#email", "admin@example.com");
        await Page.FillAsync("#target", "root@203.0.113.5");
        await Test("preview-button").ClickAsync();
        await Expect(Test("error-target")).ToHaveTextAsync("Target: is not of the form ssh://user@host[:port]");
        await Expect(Test("start-button")).ToBeDisabledAsync();
        await Page.FillAsync("#target", "ssh://root@203.0.113.5:70000");
        await Test("preview-button").ClickAsync();
        await Expect(Test("error-target")).ToHaveTextAsync("Target: has a port outside 1-65535");
        await Chromium.ScreenshotAsync(Page, "15-install-invalid-target");

        // A port nobody listens on: the preview goes there (not to this machine), finds it unreachable, and the run cannot start.
        var closed = LoopbackPorts.Tcp();
        await Page.FillAsync("#target", $"ssh://root@127.0.0.1:{closed}");
        await Test("preview-button").ClickAsync();
        await Expect(Test("error-target")).ToHaveCountAsync(0);
        await Expect(Test("preview")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(Test("start-blocked")).ToContainTextAsync($"port {closed}");
        await Expect(Test("start-button")).ToBeDisabledAsync();
        Assert.False(File.Exists(Path.Combine(Server.FixtureDirectory, "state", "preflight.done")));
    }
}
