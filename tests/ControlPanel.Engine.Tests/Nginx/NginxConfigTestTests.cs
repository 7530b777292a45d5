using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Processes;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Nginx;

/// <summary>panel.sh's default site, rendered for both panel types, with and without a certificate, passes `nginx -t`.</summary>
public sealed class NginxConfigTestTests
{
    [Theory]
    [InlineData("faasd", true, "proxy_pass http://127.0.0.1:8080/function/;")]
    [InlineData("node", true, "proxy_pass http://127.0.0.1:3000;")]
    [InlineData("faasd", false, "return 503")]
    public async Task The_default_site_passes_nginx_t(string panelType, bool certificate, string expected)
    {
        await using var nginx = NginxPrefix.Create();
        var target = nginx.Target(LoopbackPorts.Tcp(), LoopbackPorts.Tcp());
        if (certificate) NginxTestCertificate.Write(nginx.CertificateRoot, "panel.example.com");
        var site = DefaultSite.For("panel.example.com", panelType).Validate();
        var text = NginxRenderer.Render(SiteBuilder.Build(site, target, certificate));
        File.WriteAllText(target.SitePath, text);

        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec([.. target.TestCommand]) { OkExitCodes = [0, 1] });

        Assert.True(result.ExitCode == 0, string.Join('\n', result.StderrTail) + "\n" + text);
        Assert.Contains(expected, text);
        Assert.Contains("location ^~ /.well-known/acme-challenge/ {", text);
        if (certificate)
        {
            Assert.Contains("listen 127.0.0.1:" + target.HttpsPort + " ssl http2;", text);
            Assert.Contains("ssl_protocols TLSv1.2 TLSv1.3;", text);
            Assert.Contains("proxy_set_header Connection $controlpanel_connection_upgrade;", text);
            Assert.DoesNotContain("Strict-Transport-Security", text);
        }
    }
}
