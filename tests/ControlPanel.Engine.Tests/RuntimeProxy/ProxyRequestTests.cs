using ControlPanel.Engine.Registry;
using ControlPanel.Engine.RuntimeProxy;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Tests.RuntimeProxy;

public class ProxyRequestTests
{
    [Theory]
    [InlineData("ftp://10.201.154.168:10800/", "is not an http://, https:// or socks5:// URL")]
    [InlineData("http://10.201.154.168:10800/path", "with nothing after the port")]
    [InlineData("http://proxy\";rm -rf /:80", "not allowed")]
    [InlineData("http://bad_host:80", "does not name a valid host name")]
    [InlineData("http://user:pa$$@proxy:80", "not allowed")]
    public void Bad_proxy_urls_are_refused_naming_the_field(string url, string reason)
    {
        var e = Assert.Throws<InputException>(() => ProxyRequest.ParseSet(url, null, null, null));
        Assert.Equal("httpProxy", e.Field);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_password_never_shows_in_errors_or_stored_inputs()
    {
        var e = Assert.Throws<InputException>(() => ProxyRequest.ParseSet("http://ops:s3cret@proxy.lan:3128/x", null, null, null));
        Assert.DoesNotContain("s3cret", e.Message);
        Assert.Contains("ops:***@proxy.lan", e.Message);

        var request = ProxyRequest.ParseSet("http://ops:s3cr%40t@proxy.lan:3128", "socks5://10.0.0.1:1080", "localhost, .lan,10.0.0.0/8,registry.lan:5000", "both");
        Assert.True(request.HasCredentials);
        var plan = request.Store();
        Assert.DoesNotContain(plan.Inputs.Values, v => v.Contains("s3cr"));
        Assert.Equal("s3cr@t", plan.Secret("httpProxyPassword"));
        Assert.Equal(request, ProxyRequest.From(plan) with { NoProxy = request.NoProxy });
        Assert.Equal(["localhost", ".lan", "10.0.0.0/8", "registry.lan:5000"], ProxyRequest.From(plan).NoProxy);
    }

    [Fact]
    public void No_proxy_entries_are_checked_one_by_one() =>
        Assert.Equal("noProxy: \"bad entry\" is not a host name, .domain, IP address or CIDR",
            Assert.Throws<InputException>(() => ProxyRequest.ParseSet("http://proxy:3128", null, "localhost,bad entry", null)).Message);

    [Fact]
    public void The_drop_in_escapes_percent_for_systemd()
    {
        var request = ProxyRequest.ParseSet("http://ops:s3cr%40t@proxy.lan:3128", null, "localhost,127.0.0.1", "docker");
        Assert.Equal("""
            # Written by ControlPanel: the container runtime's proxy. Reset puts back what was here before.
            [Service]
            Environment="HTTP_PROXY=http://ops:s3cr%%40t@proxy.lan:3128"
            Environment="NO_PROXY=localhost,127.0.0.1"

            """, RuntimeProxyStage.DropIn(request));
        Assert.Equal(MirrorRuntime.Docker, request.Runtime);
    }
}
