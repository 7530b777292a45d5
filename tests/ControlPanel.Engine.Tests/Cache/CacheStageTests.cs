using ControlPanel.Engine.Cache;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Stack;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Tests.Cache;

public class CacheStageTests
{
    /// <summary>Debian 12's packaged /etc/docker/registry/config.yml (docker-registry 2.8.2+ds1-1).</summary>
    const string Packaged = "version: 0.1\nlog:\n  fields:\n    service: registry\nstorage:\n  cache:\n    blobdescriptor: inmemory\n  filesystem:\n    rootdirectory: /var/lib/docker-registry\n";

    static async Task<string> PreviewAsync(CacheRequest request, ScriptedHost host, bool uninstall = false)
    {
        var plan = uninstall ? CachePlans.Uninstall(request) : CachePlans.Install(request);
        var preview = await PlanPreviewer.PreviewAsync(plan, request with { Uninstalling = plan.Kind == CacheRequest.UninstallKind }, host, GoldenPlanTests.Data, CancellationToken.None);
        Assert.All(preview, p => Assert.Null(p.Error));
        return string.Join("\n", preview.SelectMany(p => p.Actions).Select(a => a + "\n" + a.File?.Diff));
    }

    [Fact]
    public async Task Install_previews_the_package_the_backup_the_proxy_config_and_one_restart()
    {
        var request = CacheRequest.Parse("http://10.0.2.2:5000", null, "/srv/registry-cache");
        var shown = await PreviewAsync(request, HostTables.FreshDebian12().File(RegistryCacheConfig.File.Path, Packaged));
        Assert.Contains("$ apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends docker-registry", shown);
        Assert.Contains("$ mkdir -p -- /srv/registry-cache\n", shown);
        Assert.Contains("$ chown docker-registry:docker-registry -- /srv/registry-cache", shown);
        Assert.Contains("$ cp -a -- /etc/docker/registry/config.yml /etc/docker/registry/config.yml.controlpanel-backup", shown);
        Assert.Contains("+  remoteurl: \"http://10.0.2.2:5000\"", shown);
        Assert.Contains("+    rootdirectory: \"/srv/registry-cache\"", shown);
        Assert.Contains("+  addr: \":5000\"", shown);
        Assert.Single(shown.Split('\n'), l => l == "$ systemctl restart docker-registry");
    }

    [Fact]
    public async Task Uninstall_previews_stop_restore_data_removal_and_purge_of_the_package_we_installed()
    {
        var ours = RegistryCacheConfig.Render(CacheRequest.Parse(null, null, null));
        var host = HostTables.FreshDebian12()
            .File(RegistryCacheConfig.File.Path, ours)
            .File(RegistryCacheConfig.File.Path + ".controlpanel-backup", Packaged)
            .File(CachePackageStage.Marker, "docker-registry\n")
            .On("systemctl cat -- docker-registry", 0);
        var shown = await PreviewAsync(CacheRequest.Parse(null, null, null), host, uninstall: true);
        Assert.Contains("$ systemctl stop docker-registry", shown);
        Assert.Contains("/etc/docker/registry/config.yml: modified", shown);
        Assert.Contains("-# Written by ControlPanel", shown);
        Assert.Contains("$ find /var/lib/docker-registry -mindepth 1 -delete", shown);
        Assert.Contains("$ apt-get -o DPkg::Lock::Timeout=600 purge -y docker-registry", shown);
    }

    [Theory]
    [InlineData(null, null, null, "https://registry-1.docker.io", ":5000", "/var/lib/docker-registry")]
    [InlineData("http://cache.lan:5000/", "10.0.0.5:5001", "/srv/cache/", "http://cache.lan:5000", "10.0.0.5:5001", "/srv/cache")]
    public void Defaults_and_cascading_upstreams_are_accepted(string? upstream, string? listen, string? storage, string u, string l, string s) =>
        Assert.Equal(new CacheRequest(u, l, s), CacheRequest.Parse(upstream, listen, storage));

    [Theory]
    [InlineData("ftp://x", null, null, "upstream")]
    [InlineData("https://mirror.lan/v2/hub", null, null, "upstream")]
    [InlineData(null, "5000", null, "listen")]
    [InlineData(null, ":70000", null, "listen")]
    [InlineData(null, "bad host:5000", null, "listen")]
    [InlineData(null, null, "relative/path", "storage")]
    [InlineData(null, null, "/var/lib", "storage")]
    [InlineData(null, null, "/srv/../etc", "storage")]
    [InlineData(null, null, "/srv/a\"b", "storage")]
    public void Bad_values_are_refused_naming_the_field(string? upstream, string? listen, string? storage, string field) =>
        Assert.Equal(field, Assert.Throws<InputException>(() => CacheRequest.Parse(upstream, listen, storage)).Field);

    [Fact]
    public async Task An_upstream_password_is_a_secret_in_the_request_the_preview_and_the_files_mode()
    {
        var request = CacheRequest.Parse("https://mirror.example.org", null, null, "edge-user", "pa\"ss\\word-123");
        var plan = request.Store();
        Assert.DoesNotContain(plan.Inputs.Values, v => v.Contains("word-123"));
        Assert.Equal(request, CacheRequest.From(plan));
        Assert.Contains("  username: \"edge-user\"\n  password: \"pa\\\"ss\\\\word-123\"\n", RegistryCacheConfig.Render(request));

        var host = HostTables.FreshDebian12().File(RegistryCacheConfig.File.Path, Packaged);
        var preview = await PlanPreviewer.PreviewAsync(CachePlans.Install(request), request, host, GoldenPlanTests.Data, CancellationToken.None);
        var config = preview.SelectMany(p => p.Actions).Select(a => a.File).Single(f => f?.Path == RegistryCacheConfig.File.Path)!;
        Assert.Equal("0640", config.NewMode);
        Assert.Equal(Engine.Hosts.FileChange.SecretDiff, config.Diff);
        Assert.Equal("upstreamPassword", Assert.Throws<InputException>(() => CacheRequest.Parse(null, null, null, "edge-user", null)).Field);
    }
}
