using System.Net;
using System.Net.WebSockets;
using System.Text;
using ControlPanel.Engine.Nginx;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Nginx;

/// <summary>The generated site in a real nginx: HTTPS proxying, WebSockets, the port-80 redirect and the ACME path.</summary>
public sealed class NginxProxyTests : IAsyncLifetime
{
    readonly NginxTestBed bed = new();

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => bed.DisposeAsync().AsTask();

    async Task StartWithSiteAsync(bool certificate = true)
    {
        ProxyRoutesStore.Save(bed.DataDirectory, bed.Routes());
        if (certificate) bed.IssueCertificate();
        await bed.Nginx.StartAsync();
        await ApplyStageAsync();
    }

    async Task ApplyStageAsync()
    {
        var stage = new NginxStage(NginxTestBed.InstallRoutes, bed.Target);
        var context = bed.Context();
        if (!(await stage.CheckAsync(context)).Done) await stage.ApplyAsync(context);
        await stage.VerifyAsync(context);
    }

    static async Task<string> Body(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Https_proxies_each_route_to_its_upstream_with_forwarding_headers()
    {
        await StartWithSiteAsync();
        using var client = bed.Client();
        await NginxTestBed.Eventually(async () => (await client.GetAsync(bed.Https("/hello"))).StatusCode == HttpStatusCode.OK, "HTTPS site");
        Assert.True(bed.Certificate!.LastValidation is { Trusted: true, NameMatches: true });

        var root = await Body(client, bed.Https("/hello?x=1"));
        Assert.Contains("upstream=functions\n", root);
        Assert.Contains("path=/function/hello?x=1\n", root);
        Assert.Contains("host=panel.test\n", root);
        Assert.Contains("x-forwarded-proto=https\n", root);
        Assert.Contains("x-forwarded-for=127.0.0.1\n", root);

        var pai = await Body(client, bed.Https("/pai/api/v1"));
        Assert.Contains("upstream=pai\n", pai);
        Assert.Contains("path=/pai/api/v1\n", pai);

        var ui = await Body(client, bed.Https("/faasd/ui/script/bootstrap.js"));
        Assert.Contains("path=/ui/script/bootstrap.js\n", ui);
        // The gateway UI's relative API calls ("../system/functions" from /faasd/ui/) stay under /faasd/.
        Assert.Contains("path=/system/functions\n", await Body(client, bed.Https("/faasd/system/functions")));

        using var start = await client.GetAsync(bed.Https("/faasd/"));
        Assert.Equal(HttpStatusCode.Found, start.StatusCode);
        Assert.Equal(bed.Https("/faasd/ui/"), start.Headers.Location!.ToString());

        using var redirect = await client.GetAsync(bed.Https("/codeserver/redirect"));
        Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
        Assert.Equal("https://panel.test/login", redirect.Headers.Location!.ToString());

        using var hsts = await client.GetAsync(bed.Https("/"));
        Assert.Equal("max-age=63072000", Assert.Single(hsts.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task WebSocket_upgrade_passes_through_to_the_upstream()
    {
        await StartWithSiteAsync();
        using var client = bed.Client();
        await NginxTestBed.Eventually(async () => (await client.GetAsync(bed.Https("/"))).StatusCode == HttpStatusCode.OK, "HTTPS site");

        using var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(NginxTestCertificate.LoopbackHandler(bed.Certificate));
        await socket.ConnectAsync(new Uri($"wss://{NginxTestBed.Domain}:{bed.HttpsPort}/codeserver/socket"), invoker, CancellationToken.None);
        var message = "ping " + Guid.NewGuid();
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.Equal(message, Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task A_published_panel_gets_its_own_https_port_with_the_sites_certificate_and_websockets()
    {
        await using var panel = NginxTestUpstream.Start("panel");
        var panelPort = LoopbackPorts.Tcp();
        var routes = bed.Routes();
        routes.Panel = new PublicPanelSettings { Port = panelPort, Upstream = panel.Url };
        ProxyRoutesStore.Save(bed.DataDirectory, routes);
        bed.IssueCertificate();
        await bed.Nginx.StartAsync();
        await ApplyStageAsync();

        using var client = bed.Client();
        var setup = $"https://{NginxTestBed.Domain}:{panelPort}/setup?token=abc";
        await NginxTestBed.Eventually(async () => (await client.GetAsync(setup)).StatusCode == HttpStatusCode.OK, "the panel's port");
        Assert.True(bed.Certificate!.LastValidation is { Trusted: true, NameMatches: true });
        var body = await Body(client, setup);
        Assert.Contains("upstream=panel\n", body);
        Assert.Contains("path=/setup?token=abc\n", body);
        Assert.Contains("x-forwarded-proto=https\n", body);
        Assert.Contains($"host={NginxTestBed.Domain}:{panelPort}\n", body);
        // The site's own routes stay where they were.
        Assert.Contains("upstream=functions\n", await Body(client, bed.Https("/hello")));

        using var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(NginxTestCertificate.LoopbackHandler(bed.Certificate));
        await socket.ConnectAsync(new Uri($"wss://{NginxTestBed.Domain}:{panelPort}/_blazor"), invoker, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64];
        var received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        // Unpublished again: the port closes.
        routes.Panel = null;
        ProxyRoutesStore.Save(bed.DataDirectory, routes);
        await ApplyStageAsync();
        Assert.DoesNotContain($"{panelPort} ssl", File.ReadAllText(bed.SitePath));
        await NginxTestBed.Eventually(async () =>
        {
            try { await client.GetAsync(setup); return false; } catch (HttpRequestException) { return true; }
        }, "the panel's port closed");
    }

    [Fact]
    public async Task Port_80_redirects_to_https_except_the_acme_challenge()
    {
        await StartWithSiteAsync();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(bed.Target.ChallengeDirectory);
        File.WriteAllText(Path.Combine(bed.Target.ChallengeDirectory, token), token + ".thumbprint");

        using var client = bed.Client();
        await NginxTestBed.Eventually(async () => (await client.GetAsync(bed.Http("/a/b?c=d"))).StatusCode == HttpStatusCode.MovedPermanently, "port-80 redirect");
        using var redirect = await client.GetAsync(bed.Http("/a/b?c=d"));
        Assert.Equal(bed.Https("/a/b?c=d"), redirect.Headers.Location!.ToString());

        using var challenge = await client.GetAsync(bed.Http("/.well-known/acme-challenge/" + token));
        Assert.Equal(HttpStatusCode.OK, challenge.StatusCode);
        Assert.Equal(token + ".thumbprint", await challenge.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(bed.Http("/.well-known/acme-challenge/missing"))).StatusCode);
    }

    [Fact]
    public async Task Before_the_certificate_only_the_challenge_is_served_then_https_goes_live()
    {
        await StartWithSiteAsync(certificate: false);
        File.WriteAllText(Path.Combine(bed.Target.ChallengeDirectory, "early"), "early-token");
        using var client = bed.Client();
        await NginxTestBed.Eventually(async () => (await client.GetAsync(bed.Http("/.well-known/acme-challenge/early"))).StatusCode == HttpStatusCode.OK, "challenge over HTTP");
        Assert.Equal("early-token", await client.GetStringAsync(bed.Http("/.well-known/acme-challenge/early")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(bed.Http("/"))).StatusCode);
        Assert.DoesNotContain("ssl_certificate", File.ReadAllText(bed.SitePath));

        bed.IssueCertificate();
        var stage = new NginxStage(NginxTestBed.InstallRoutes, bed.Target, "nginx-tls");
        Assert.False((await stage.CheckAsync(bed.Context())).Done);
        await ApplyStageAsync();
        using var trusting = bed.Client();
        await NginxTestBed.Eventually(async () => (await trusting.GetAsync(bed.Https("/ok"))).StatusCode == HttpStatusCode.OK, "HTTPS after the certificate");
        // Old workers drain gracefully after a reload and may still answer a moment with the previous site.
        await NginxTestBed.Eventually(async () => (await trusting.GetAsync(bed.Http("/"))).StatusCode == HttpStatusCode.MovedPermanently, "port 80 redirects once HTTPS is live");
    }

    [Fact]
    public async Task Only_tls_1_2_and_1_3_are_offered()
    {
        await StartWithSiteAsync();
        using var client = bed.Client();
        await NginxTestBed.Eventually(async () => (await client.GetAsync(bed.Https("/"))).StatusCode == HttpStatusCode.OK, "HTTPS site");
        Assert.Equal(0, await OpenSslHandshake("-tls1_2"));
        Assert.Equal(0, await OpenSslHandshake("-tls1_3"));
        Assert.NotEqual(0, await OpenSslHandshake("-tls1_1"));
        Assert.NotEqual(0, await OpenSslHandshake("-tls1"));
    }

    async Task<int> OpenSslHandshake(string protocol)
    {
        // SECLEVEL=0 so that refusing TLS 1.0/1.1 is nginx's doing, not the client's.
        var result = await Engine.Processes.ProcessRunner.Default.RunAsync(new Engine.Processes.ProcessSpec(
            ["openssl", "s_client", "-connect", $"127.0.0.1:{bed.HttpsPort}", "-servername", NginxTestBed.Domain, protocol, "-cipher", "DEFAULT@SECLEVEL=0"])
        {
            Stdin = [], OkExitCodes = Enumerable.Range(0, 256).ToArray(), Timeout = TimeSpan.FromSeconds(10),
        }, CancellationToken.None);
        return result.ExitCode;
    }
}
