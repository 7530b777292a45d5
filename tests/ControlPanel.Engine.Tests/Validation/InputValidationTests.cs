using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Tests.Validation;

public class InputValidationTests
{
    [Theory]
    [InlineData("example.com")]
    [InlineData("panel.example.co.uk")]
    [InlineData("xn--fiqs8s.example.com")]          // 中国 in punycode
    [InlineData("a-b.c-d.example")]
    public void Valid_host_names(string name) => Assert.Equal(name, HostName.RequireDomain("--domain", name));

    [Theory]
    [InlineData("x;rm -rf /")]
    [InlineData("a b.com")]
    [InlineData("a_b.example.com")]
    [InlineData("-a.example.com")]
    [InlineData("a-.example.com")]
    [InlineData("localhost")]
    [InlineData("1.2.3.4")]
    [InlineData("xn--.example.com")]
    [InlineData("example.com\nserver_name evil")]
    [InlineData("$host.example.com")]
    [InlineData("a{b}.example.com")]
    public void Invalid_host_names_name_the_field(string name)
    {
        var e = Assert.Throws<InputException>(() => HostName.RequireDomain("--domain", name));
        Assert.Equal("--domain", e.Field);
        Assert.StartsWith("--domain: ", e.Message);
    }

    [Fact]
    public void Labels_over_63_and_names_over_253_are_refused()
    {
        Assert.False(HostName.IsValid(new string('a', 64) + ".com"));
        Assert.True(HostName.IsValid(new string('a', 63) + ".com"));
        Assert.False(HostName.IsValid(string.Join('.', Enumerable.Repeat(new string('a', 60), 5))));
    }

    [Theory]
    [InlineData("a@example.com", true)]
    [InlineData("first.last+tag@mail.example.org", true)]
    [InlineData("no-at-sign", false)]
    [InlineData("a@b", false)]
    [InlineData("a b@example.com", false)]
    [InlineData("a@example.com;touch x", false)]
    public void Emails(string email, bool ok)
    {
        if (ok) Assert.Equal(email, Inputs.RequireEmail("--email", email));
        else Assert.Throws<InputException>(() => Inputs.RequireEmail("--email", email));
    }

    [Theory]
    [InlineData("https://mirror.example.com/demos", true)]
    [InlineData("http://10.0.2.2:8000/", true)]
    [InlineData("ftp://mirror/x", false)]
    [InlineData("https://user:pw@mirror/x", false)]
    [InlineData("https://mirror/x?a=b", false)]
    [InlineData("https://mirror/x;rm", false)]
    public void Mirror_urls(string url, bool ok)
    {
        if (ok) Assert.NotNull(Inputs.RequireHttpUrl("--download-mirror", url));
        else Assert.Throws<InputException>(() => Inputs.RequireHttpUrl("--download-mirror", url));
    }

    [Theory]
    [InlineData("ssh://root@10.0.0.5:2222", "root", "10.0.0.5", 2222)]
    [InlineData("ssh://deploy@panel.example.com", "deploy", "panel.example.com", 22)]
    [InlineData("ssh://[::1]:22", "root", "::1", 22)]
    public void Ssh_targets(string spec, string user, string address, int port) =>
        Assert.Equal(new SshTarget(user, address, port), SshTarget.Parse("--host", spec));

    [Theory]
    [InlineData("ssh://root@host;id")]
    [InlineData("ssh://-oProxyCommand=x@host")]
    [InlineData("ssh://root@-oProxyCommand=x")]
    [InlineData("ssh://root@host:99999")]
    [InlineData("root@host")]
    public void Hostile_ssh_targets_are_refused(string spec) => Assert.Throws<InputException>(() => SshTarget.Parse("--host", spec));

    [Fact]
    public void An_install_request_without_password_gets_a_random_one_and_maps_panel_sh_types()
    {
        var a = InstallRequest.Parse("panel.example.com", "a@example.com", "0", null, null, null, StackPlans.Profiles);
        var b = InstallRequest.Parse("panel.example.com", "a@example.com", "1", null, null, null, StackPlans.Profiles);
        Assert.Equal("faasd", a.PanelType);
        Assert.Equal("node", b.PanelType);
        Assert.Equal("seed", a.Profile);
        Assert.True(a.FaasdPassword.Length >= 20);
        Assert.NotEqual(a.FaasdPassword, b.FaasdPassword);
        var request = a.Store();
        Assert.DoesNotContain(a.FaasdPassword, string.Join(",", request.Inputs.Values));
        var back = InstallRequest.From(request).Store();
        Assert.Equal(request.Inputs, back.Inputs);
        Assert.Equal(request.Secrets, back.Secrets);
    }

    [Fact]
    public void A_request_with_several_wrong_fields_names_them_all_and_the_first_stays_the_message()
    {
        var e = Assert.Throws<InputException>(() => InstallRequest.Parse("not a domain", "nobody", "faasd", "seed", "ftp://mirror", "short", StackPlans.Profiles));
        Assert.Equal(["domain", "email", "downloadMirror", "password"], e.All.Select(x => x.Field));
        Assert.StartsWith("domain: ", e.Message);
        // The CLI renames every one of them to its flags.
        Assert.Equal(["--domain", "--email", "--download-mirror", "--password"], e.Rename(f => f switch
        {
            "downloadMirror" => "--download-mirror",
            _ => "--" + f,
        }).All.Select(x => x.Field));
    }

    [Fact]
    public void Cache_certificate_and_mirror_requests_name_every_wrong_field_too()
    {
        var cache = Assert.Throws<InputException>(() => ControlPanel.Engine.Cache.CacheRequest.Parse("ftp://x", "nowhere", "relative/dir", "bad user", null));
        Assert.Equal(["upstream", "upstreamUsername", "upstreamPassword", "listen", "storage"], cache.All.Select(x => x.Field));

        var cert = Assert.Throws<InputException>(() => ControlPanel.Engine.Acme.CertificateIssueRequest.Parse(["bad domain"], "nobody", "letsencrypt", null, httpPort: "99999"));
        Assert.Equal(["domain", "email", "acmeHttpPort"], cert.All.Select(x => x.Field));

        var mirror = Assert.Throws<InputException>(() => ControlPanel.Engine.Registry.MirrorRequest.ParseSet("bad registry!", [], "podman"));
        Assert.Equal(["registry", "mirror", "runtime"], mirror.All.Select(x => x.Field));
    }

    [Fact]
    public void A_request_with_one_wrong_field_names_just_that_one()
    {
        var e = Assert.Throws<InputException>(() => InstallRequest.Parse("panel.example.com", "nobody", "faasd", "seed", null, null, StackPlans.Profiles));
        Assert.Equal(["email"], e.All.Select(x => x.Field));
    }
}
