using ControlPanel.Engine.Tests.Support;
using System.Diagnostics;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Hosts;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Acme;

/// <summary>
/// The webroot way end to end: a real nginx in a private prefix serves /.well-known/acme-challenge/ from the
/// webroot, the responder writes the token file there through the host, pebble validates it.
/// </summary>
public sealed class WebrootNginxTests
{
    [Fact]
    public async Task Pebble_validates_a_token_served_by_nginx_from_the_webroot()
    {
        await using var pebble = await Pebble.StartAsync();
        using var tmp = new TempDir();
        var webroot = tmp.Sub("webroot");
        await using var nginx = await ChallengeNginx.StartAsync(tmp.Sub("nginx"), pebble.HttpPort, webroot);
        await using var responder = new WebrootHttp01Responder(new LocalHost(), webroot);
        var log = new RecordingLog();
        var issued = await new AcmeIssuer(new AccountStore(tmp.Sub("data")), AcmeTestSupport.FastPolling).IssueAsync(
            new CertificateOrderSpec(["web.panel.test"], null, AcmeTestSupport.Directory(pebble)), null, responder, log, CancellationToken.None);
        Assert.Equal(["web.panel.test"], issued.Names);
        Assert.Contains("web.panel.test: http-01 validated", log.Text);
        // Token files are gone afterwards; the directory stays for the next time.
        Assert.Empty(Directory.GetFiles(Path.Combine(webroot, ".well-known", "acme-challenge")));
    }

    /// <summary>Test fixture: nginx serving only the challenge path from a webroot on a loopback port.</summary>
    sealed class ChallengeNginx : IAsyncDisposable
    {
        readonly Process process;
        ChallengeNginx(Process process) => this.process = process;

        public static async Task<ChallengeNginx> StartAsync(string prefix, int port, string webroot)
        {
            Directory.CreateDirectory(Path.Combine(prefix, "logs"));
            Directory.CreateDirectory(webroot);
            var conf = Path.Combine(prefix, "nginx.conf");
            File.WriteAllText(conf, $$"""
                worker_processes 1;
                pid {{prefix}}/nginx.pid;
                error_log {{prefix}}/logs/error.log;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path {{prefix}}/client_body;
                    proxy_temp_path {{prefix}}/proxy;
                    fastcgi_temp_path {{prefix}}/fastcgi;
                    uwsgi_temp_path {{prefix}}/uwsgi;
                    scgi_temp_path {{prefix}}/scgi;
                    server {
                        listen 127.0.0.1:{{port}};
                        location /.well-known/acme-challenge/ { root {{webroot}}; default_type text/plain; }
                    }
                }
                """);
            var psi = new ProcessStartInfo("nginx") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-p", prefix + "/", "-c", conf, "-g", "daemon off;" }) psi.ArgumentList.Add(a);
            var p = Process.Start(psi)!;
            await PebblePorts.WaitListeningAsync(port, TimeSpan.FromSeconds(10), () => p.HasExited);
            return new ChallengeNginx(p);
        }

        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }
}
