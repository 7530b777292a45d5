using ControlPanel.TestPeers;
using ControlPanel.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ControlPanel.Tests;

/// <summary>
/// The registry mirrors page in a real browser against a panel whose "this machine" is <see cref="PrivateEtc"/>
/// (its own /etc/docker and /etc/containerd, Debian's real containerd deciding the format): bad input named by field,
/// the preview's diffs, the set run's hosts.toml and merged daemon.json, and reset back to the user's bytes.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class MirrorsPageTests(BrowserFixture fixture) : PanelTestBase(fixture)
{
    readonly PrivateEtc etc = new();

    protected override IReadOnlyList<string> ServerWrapper => etc.Wrapper;

    static string Sample(string name) => File.ReadAllText(Path.Combine(RepoPaths.Root, "tests/ControlPanel.Engine.Tests/Registry/samples", name));

    protected override Task AfterPanelAsync() => SetUpAdminAsync();

    public override async Task DisposeAsync()
    {
        try { await base.DisposeAsync(); }
        finally { etc.Dispose(); }
    }

    [Fact]
    public async Task A_set_whose_preview_would_fail_cannot_be_started_and_says_why_next_to_the_button()
    {
        var daemonFile = Path.Combine(etc.Docker, "daemon.json");
        File.WriteAllText(daemonFile, "{ \"log-driver\": ");
        File.WriteAllText(Path.Combine(etc.Containerd, "config.toml"), Sample("containerd-1.6-default.toml"));
        await GoAsync("/mirrors");
        await Page.FillAsync("#mirrors-registry", "docker.io");
        await Page.FillAsync("#mirrors-urls", "http://10.0.2.2:5000");
        await ChooseAsync("mirrors-runtime", "both");
        await Test("mirrors-set-preview").ClickAsync();
        await Expect(Test("mirrors-set-preview-result").Locator("[data-verdict='fail']").First).ToBeVisibleAsync();
        await Expect(Test("mirrors-set-start")).ToBeDisabledAsync();
        await Expect(Page.Locator("[data-test='mirrors-set'] [data-test='start-blocked']")).ToContainTextAsync("would fail");
        await Chromium.ScreenshotAsync(Page, "84-mirrors-would-fail");

        // Once the file is repaired, a new preview lets it start.
        File.WriteAllText(daemonFile, "{}\n");
        await Test("mirrors-set-preview").ClickAsync();
        await Expect(Test("mirrors-set-start")).ToBeEnabledAsync();
        await Expect(Page.Locator("[data-test='mirrors-set'] [data-test='start-blocked']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Set_previews_the_diffs_writes_hosts_toml_and_merges_daemon_json_and_reset_restores_the_users_files()
    {
        var daemon = Sample("daemon-kubeedge.json");
        var config = Sample("containerd-1.6-default.toml");
        var daemonFile = Path.Combine(etc.Docker, "daemon.json");
        var configFile = Path.Combine(etc.Containerd, "config.toml");
        File.WriteAllText(daemonFile, daemon);
        File.WriteAllText(configFile, config);

        await GoAsync("/mirrors");
        await Expect(Test("no-mirrors")).ToBeVisibleAsync();
        await Expect(Test("mirrors-sources")).ToContainTextAsync("containerd 1.");

        // Bad input is refused naming the field.
        await Page.FillAsync("#mirrors-registry", "ghcr.io");
        await Page.FillAsync("#mirrors-urls", "http://10.0.2.2:5000");
        await ChooseAsync("mirrors-runtime", "both");
        await Test("mirrors-set-preview").ClickAsync();
        await Expect(Test("error-registry")).ToContainTextAsync("Registry: cannot be mirrored by Docker");
        await Page.FillAsync("#mirrors-registry", "docker.io");
        await Page.FillAsync("#mirrors-urls", "ftp://mirror");
        await Test("mirrors-set-preview").ClickAsync();
        await Expect(Test("error-mirrors")).ToHaveTextAsync("Mirrors: is not an http:// or https:// URL");
        await Expect(Test("mirrors-set-start")).ToBeDisabledAsync();

        // The preview: both files' diffs; nothing changed yet.
        await Page.FillAsync("#mirrors-urls", "http://10.0.2.2:5000\nhttps://mirror.example.org");
        await Test("mirrors-set-preview").ClickAsync();
        var preview = Test("mirrors-set-preview-result");
        await Expect(preview.Locator("[data-stage='docker-mirrors'] .diff")).ToContainTextAsync("+    \"registry-mirrors\": [\"http://10.0.2.2:5000\",\"https://mirror.example.org\"]");
        await Expect(preview.Locator("[data-stage='containerd-mirrors']")).ToContainTextAsync("/etc/containerd/certs.d/docker.io/hosts.toml");
        await Expect(Test("error-mirrors")).ToHaveCountAsync(0);
        Assert.Equal(daemon, File.ReadAllText(daemonFile));
        Assert.False(Directory.Exists(Path.Combine(etc.Containerd, "certs.d")));
        await Chromium.ScreenshotAsync(Page, "85-mirrors-preview");

        // The run: hosts.toml with both mirrors in order, daemon.json merged (the user's cgroup driver kept).
        await Test("mirrors-set-start").ClickAsync();
        await Expect(Page.Locator("[data-test='mirrors-set'] [data-test='tracked-run']")).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 60_000 });
        var hosts = File.ReadAllText(Path.Combine(etc.Containerd, "certs.d", "docker.io", "hosts.toml"));
        Assert.True(hosts.IndexOf("[host.\"http://10.0.2.2:5000\"]", StringComparison.Ordinal) is var first and >= 0
            && first < hosts.IndexOf("[host.\"https://mirror.example.org\"]", StringComparison.Ordinal), hosts);
        var merged = File.ReadAllText(daemonFile);
        Assert.Contains("\"exec-opts\": [\"native.cgroupdriver=systemd\"]", merged);
        Assert.Contains("\"registry-mirrors\": [\"http://10.0.2.2:5000\",\"https://mirror.example.org\"]", merged);
        await Expect(Page.Locator("[data-test='mirrors'] tr[data-runtime='containerd'][data-registry='docker.io'] .urls")).ToHaveTextAsync("http://10.0.2.2:5000, https://mirror.example.org");
        await Expect(Page.Locator("[data-test='mirrors'] tr[data-runtime='docker'] .urls")).ToHaveTextAsync("http://10.0.2.2:5000, https://mirror.example.org");
        await Expect(Test("mirrors-sources")).ToContainTextAsync("the original is kept for reset");
        await Chromium.ScreenshotAsync(Page, "86-mirrors-set");

        // Reset (every registry, both runtimes): the user's files byte for byte, nothing of ours left.
        await Test("mirrors-reset-preview").ClickAsync();
        await Expect(Test("mirrors-reset-preview-result").Locator("[data-stage='docker-mirrors'] .diff")).ToContainTextAsync("-    \"registry-mirrors\"");
        await Test("mirrors-reset-start").ClickAsync();
        await Expect(Page.Locator("[data-test='mirrors-reset'] [data-test='tracked-run']")).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 60_000 });
        await Expect(Test("no-mirrors")).ToBeVisibleAsync();
        Assert.Equal(daemon, File.ReadAllText(daemonFile));
        Assert.Equal(config, File.ReadAllText(configFile));
        Assert.Equal(["config.toml"], Directory.GetFileSystemEntries(etc.Containerd).Select(Path.GetFileName));

        await Test("lang-zh").ClickAsync();
        await Expect(Test("nav-mirrors")).ToHaveTextAsync("镜像加速");
        await Expect(Test("no-mirrors")).ToHaveTextAsync("未设置镜像加速：直接从各仓库拉取镜像。");
        await Chromium.ScreenshotAsync(Page, "87-mirrors-chinese");
    }
}
