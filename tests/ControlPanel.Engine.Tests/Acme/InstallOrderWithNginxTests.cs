using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Nginx;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Acme;

/// <summary>
/// The install plan's order on real peers: the nginx stage serves the challenge path over HTTP, the certificate stage
/// gets the certificate from pebble through that webroot, the nginx stage again turns HTTPS on with it.
/// </summary>
public sealed class InstallOrderWithNginxTests
{
    [Fact]
    public async Task Nginx_then_certificate_then_nginx_serves_https_with_the_pebble_certificate()
    {
        await using var bed = new NginxTestBed();
        await using var pebble = await Pebble.StartAsync(new PebbleOptions { HttpPort = bed.HttpPort });
        await bed.Nginx.StartAsync();
        var host = new LocalHost();
        var nginxStage = new NginxStage(NginxTestBed.InstallRoutes, bed.Target);
        var httpOnly = bed.Context(host);
        await nginxStage.ApplyAsync(httpOnly);

        var request = CertificateIssueRequest.Parse([NginxTestBed.Domain], null, pebble.DirectoryUrl, pebble.CaFile,
            challenge: "webroot", webroot: bed.Target.AcmeWebroot, certDirectory: Path.GetDirectoryName(bed.Target.CertificatePath(NginxTestBed.Domain))!);
        var log = new RecordingLog();
        var certificate = new CertificateStage(request, AcmeTestSupport.FastPolling);
        var context = new StageContext(host, log, bed.DataDirectory, CancellationToken.None);
        Assert.False((await certificate.CheckAsync(context)).Done);
        await certificate.ApplyAsync(context);
        await certificate.VerifyAsync(context);
        Assert.Contains("panel.test: http-01 validated", log.Text);
        // The token files are gone afterwards; the directory nginx serves stays.
        Assert.Empty(Directory.GetFiles(bed.Target.ChallengeDirectory));

        Assert.False((await nginxStage.CheckAsync(bed.Context(host))).Done);
        await nginxStage.ApplyAsync(bed.Context(host));

        var issued = IssuedCertificate.ParseChain(File.ReadAllText(bed.Target.CertificatePath(NginxTestBed.Domain)));
        var root = await pebble.RootAsync();
        X509Certificate2? served = null;
        await NginxTestBed.Eventually(async () =>
        {
            served = await ServedCertificateAsync(bed.HttpsPort, root);
            return served?.SerialNumber == issued[0].SerialNumber;
        }, "nginx to serve the pebble certificate over HTTPS");
    }

    /// <summary>The certificate nginx presents for panel.test on the port, if it chains to pebble's root and matches the name.</summary>
    static async Task<X509Certificate2?> ServedCertificateAsync(int port, X509Certificate2 root)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        X509Certificate2? presented = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, chain, errors) =>
        {
            presented = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
            if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
            using var c = new X509Chain();
            c.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            c.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            c.ChainPolicy.CustomTrustStore.Add(root);
            if (chain is not null) c.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(e => e.Certificate).ToArray());
            return c.Build(presented);
        });
        await tls.AuthenticateAsClientAsync(NginxTestBed.Domain);
        return presented;
    }
}
