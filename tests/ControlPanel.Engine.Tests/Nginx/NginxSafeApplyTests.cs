using System.Net;
using System.Net.Sockets;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Nginx;

namespace ControlPanel.Engine.Tests.Nginx;

/// <summary>Apply against a real nginx: refused candidates roll back byte for byte, reloads are proven, second applies do nothing.</summary>
public sealed class NginxSafeApplyTests : IAsyncLifetime
{
    readonly NginxTestBed bed = new();

    public async Task InitializeAsync()
    {
        ProxyRoutesStore.Save(bed.DataDirectory, bed.Routes());
        bed.IssueCertificate();
        await bed.Nginx.StartAsync();
    }

    public Task DisposeAsync() => bed.DisposeAsync().AsTask();

    async Task<string> ApplyGoodSiteAsync()
    {
        var stage = new NginxStage(NginxTestBed.InstallRoutes, bed.Target);
        await stage.ApplyAsync(bed.Context());
        using var client = bed.Client();
        await NginxTestBed.Eventually(async () => (await client.GetAsync(bed.Https("/"))).StatusCode == HttpStatusCode.OK, "the good site");
        return File.ReadAllText(bed.SitePath);
    }

    async Task AssertStillServesAsync()
    {
        using var client = bed.Client();
        var body = await client.GetStringAsync(bed.Https("/still"));
        Assert.Contains("upstream=functions\n", body);
        Assert.True(bed.Nginx.Running);
    }

    [Fact]
    public async Task A_broken_candidate_is_refused_with_nginxs_file_and_line_and_the_old_file_stays()
    {
        var good = await ApplyGoodSiteAsync();
        var before = File.ReadAllBytes(bed.SitePath);
        var lines = good.Split('\n').ToList();
        var at = lines.FindIndex(l => l.StartsWith("server {", StringComparison.Ordinal)) + 1;
        lines.Insert(at, "    bogus_directive on;");
        var broken = string.Join('\n', lines);

        var e = await Assert.ThrowsAsync<NginxConfigRejectedException>(() => NginxApplier.ApplyAsync(bed.Context(), bed.Target, NginxTestBed.Domain, broken));

        Assert.Equal(before, File.ReadAllBytes(bed.SitePath));
        Assert.False(File.Exists(NginxApplier.RollbackPath(bed.SitePath)));
        Assert.Equal(bed.SitePath, e.Error!.File);
        Assert.Equal(at + 1, e.Error.Line);
        Assert.Contains($"unknown directive \"bogus_directive\" in {bed.SitePath}:{at + 1}", e.Message);
        Assert.Contains("bogus_directive on;", e.Message);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_candidate_that_passes_the_test_but_fails_to_reload_is_rolled_back()
    {
        await ApplyGoodSiteAsync();
        var before = File.ReadAllBytes(bed.SitePath);
        var reloads = bed.Nginx.ReloadCount;
        // nginx -t does not bind ports; the reload does, and fails while another process holds the port.
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var site = bed.Routes().Validate();
        var candidate = NginxRenderer.Render(SiteBuilder.Build(site, bed.Target with { HttpPort = taken }, certificatePresent: true));

        var e = await Assert.ThrowsAsync<NginxConfigRejectedException>(() => NginxApplier.ApplyAsync(bed.Context(), bed.Target, NginxTestBed.Domain, candidate));

        Assert.True(e.Message.Contains("Address already in use"), e.Message + "\n" + File.ReadAllText(bed.Nginx.ErrorLog));
        Assert.Equal(before, File.ReadAllBytes(bed.SitePath));
        Assert.True(bed.Nginx.ReloadCount > reloads);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task The_same_input_a_second_time_changes_nothing_and_does_not_reload()
    {
        await ApplyGoodSiteAsync();
        var stage = new NginxStage(NginxTestBed.InstallRoutes, bed.Target);
        var check = await stage.CheckAsync(bed.Context());
        Assert.True(check.Done, check.Reason);

        var reloads = bed.Nginx.ReloadCount;
        var written = File.GetLastWriteTimeUtc(bed.SitePath);
        var result = await NginxApplier.ApplyAsync(bed.Context(), bed.Target, NginxTestBed.Domain, File.ReadAllText(bed.SitePath));
        await stage.ApplyAsync(bed.Context());

        Assert.False(result.Changed);
        Assert.Equal(reloads, bed.Nginx.ReloadCount);
        Assert.Equal(written, File.GetLastWriteTimeUtc(bed.SitePath));
    }

    [Fact]
    public async Task An_apply_interrupted_after_writing_is_tested_and_reloaded_by_the_next_run()
    {
        var good = await ApplyGoodSiteAsync();
        var routes = bed.Routes();
        routes.Routes[0].Upstream = bed.Pai.Url + "/";
        ProxyRoutesStore.Save(bed.DataDirectory, routes);
        // What a crash between the write and the reload leaves: the new file in place, the journal holding the old one.
        File.WriteAllText(NginxApplier.RollbackPath(bed.SitePath), good);
        File.WriteAllText(bed.SitePath, NginxRenderer.Render(SiteBuilder.Build(routes.Validate(), bed.Target, certificatePresent: true)));
        var reloads = bed.Nginx.ReloadCount;

        var stage = new NginxStage(NginxTestBed.InstallRoutes, bed.Target);
        var check = await stage.CheckAsync(bed.Context());
        Assert.False(check.Done);
        Assert.Contains("interrupted", check.Reason);
        await stage.ApplyAsync(bed.Context());
        await stage.VerifyAsync(bed.Context());

        Assert.True(bed.Nginx.ReloadCount > reloads);
        Assert.False(File.Exists(NginxApplier.RollbackPath(bed.SitePath)));
        using var client = bed.Client();
        await NginxTestBed.Eventually(async () => (await client.GetStringAsync(bed.Https("/x"))).Contains("upstream=pai\n"), "the new route live");
    }

    [Fact]
    public async Task A_dry_run_shows_the_diff_and_changes_nothing()
    {
        var dry = new DryRunHost(new LocalHost());
        var stage = new NginxStage(NginxTestBed.InstallRoutes, bed.Target);
        await stage.ApplyAsync(bed.Context(dry));

        Assert.False(File.Exists(bed.SitePath));
        Assert.False(Directory.Exists(bed.Target.ChallengeDirectory));
        var file = Assert.Single(dry.Actions, a => a.File?.Path == bed.SitePath).File!;
        Assert.Equal(FileChangeKind.Created, file.Kind);
        Assert.True(file.Diff.Contains($"+        proxy_pass {bed.Functions.Url}/function/;"), file.Diff);
        Assert.Contains(dry.Actions, a => a.Command?.Contains("reload") == true);
        Assert.Equal(0, bed.Nginx.ReloadCount);
    }

    [Fact]
    public async Task A_site_file_that_served_our_domain_is_kept_aside_and_restored_on_uninstall()
    {
        var legacy = Path.Combine(bed.Nginx.SiteDirectory, "default.conf");
        var legacyText = $"# written by panel.sh\nserver {{\n    listen 127.0.0.1:{bed.HttpPort};\n    server_name {NginxTestBed.Domain};\n    return 200 \"legacy\\n\";\n}}\n";
        File.WriteAllText(legacy, legacyText);

        await ApplyGoodSiteAsync();
        Assert.False(File.Exists(legacy));
        Assert.Equal(legacyText, File.ReadAllText(NginxTarget.BackupPath(legacy)));

        var uninstall = new NginxUninstallStage(bed.Target);
        Assert.False((await uninstall.CheckAsync(bed.Context())).Done);
        await uninstall.ApplyAsync(bed.Context());
        await uninstall.VerifyAsync(bed.Context());

        Assert.False(File.Exists(bed.SitePath));
        Assert.Equal(legacyText, File.ReadAllText(legacy));
        Assert.False(File.Exists(NginxTarget.BackupPath(legacy)));
        Assert.False(Directory.Exists(bed.Target.AcmeWebroot));
        using var client = bed.Client();
        await NginxTestBed.Eventually(async () => await client.GetStringAsync(bed.Http("/")) == "legacy\n", "the restored legacy site");
    }

    [Fact]
    public async Task A_restored_site_file_that_nginx_now_rejects_is_kept_out_of_the_configuration()
    {
        var legacy = Path.Combine(bed.Nginx.SiteDirectory, "default.conf");
        var extra = Path.Combine(bed.Nginx.Prefix, "legacy-extra.conf");
        File.WriteAllText(extra, "# nothing\n");
        var legacyText = $"server {{\n    listen 127.0.0.1:{bed.HttpPort};\n    server_name {NginxTestBed.Domain};\n    include {extra};\n    return 200 \"legacy\\n\";\n}}\n";
        File.WriteAllText(legacy, legacyText);
        await ApplyGoodSiteAsync();
        File.Delete(extra);

        var uninstall = new NginxUninstallStage(bed.Target);
        await uninstall.ApplyAsync(bed.Context());
        await uninstall.VerifyAsync(bed.Context());

        Assert.False(File.Exists(legacy));
        Assert.Equal(legacyText, File.ReadAllText(NginxUninstallStage.RejectedPath(legacy)));
        Assert.Contains(bed.Log.Lines, l => l.StartsWith("warn: ") && l.Contains(legacy + ":4"));
        Assert.True(bed.Nginx.Running);
        using var client = bed.Client();
        await NginxTestBed.Eventually(async () =>
        {
            try { await client.GetAsync(bed.Https("/")); return false; }
            catch (HttpRequestException) { return true; }
        }, "our HTTPS listener gone");
    }
}
