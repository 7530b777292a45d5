using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Tests.Nginx;

/// <summary>Hostile and malformed values never reach a directive: each is refused with the field it came in.</summary>
public sealed class ProxyInputsTests
{
    static ProxySettings WithRoute(string? path = "/app/", string? upstream = "http://127.0.0.1:9000", string? domain = "panel.example.com", string? startPage = null) => new()
    {
        Domain = domain,
        Routes =
        [
            new() { Path = "/", Upstream = "http://127.0.0.1:8080/function/" },
            new() { Path = "/pai/", Upstream = "http://127.0.0.1:5523" },
            new() { Path = path, Upstream = upstream, StartPage = startPage },
        ],
    };

    [Theory]
    [InlineData("/a;b/")]
    [InlineData("/a{/")]
    [InlineData("/a}/")]
    [InlineData("/a#b/")]
    [InlineData("/$host/")]
    [InlineData("/a\"b/")]
    [InlineData("/a'b/")]
    [InlineData("/a b/")]
    [InlineData("/a\nb/")]
    [InlineData("/a\\b/")]
    [InlineData("/../etc/")]
    [InlineData("/a/./")]
    [InlineData("/app")]
    [InlineData("app/")]
    [InlineData("")]
    public void Hostile_paths_are_refused_naming_the_route(string path)
    {
        var e = Assert.Throws<InputException>(() => WithRoute(path: path).Validate());
        Assert.Equal("routes[2].path", e.Field);
        Assert.StartsWith("routes[2].path: ", e.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000;")]
    [InlineData("http://127.0.0.1:9000/a{b}")]
    [InlineData("http://127.0.0.1:9000/#x")]
    [InlineData("http://127.0.0.1:9000/$request_uri")]
    [InlineData("http://127.0.0.1:9000/\"x\"")]
    [InlineData("http://127.0.0.1:9000/ x")]
    [InlineData("http://127.0.0.1:9000/\nproxy_pass http://evil")]
    [InlineData("http://127.0.0.1:9000\\x")]
    [InlineData("http://127.0.0.1:9000/../../etc/passwd")]
    [InlineData("http://127.0.0.1:9000/a/..")]
    [InlineData("http://127.0.0.1:9000/?q=1")]
    [InlineData("http://user@127.0.0.1:9000/")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("127.0.0.1:9000")]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:70000")]
    [InlineData("http://999.1.1.1/")]
    [InlineData("http://xn--zz/")]
    [InlineData("http://under_score.example/")]
    [InlineData("http://[::1/")]
    public void Hostile_upstreams_are_refused_naming_the_route(string upstream)
    {
        var e = Assert.Throws<InputException>(() => WithRoute(upstream: upstream).Validate());
        Assert.Equal("routes[2].upstream", e.Field);
    }

    [Theory]
    [InlineData("panel.example.com;")]
    [InlineData("panel.example.com {")]
    [InlineData("panel$host.com")]
    [InlineData("panel.example.com\nserver_name evil.com")]
    [InlineData("\"panel.example.com\"")]
    [InlineData("panel\\.example.com")]
    [InlineData("xn--zz.example.com")]
    [InlineData("xn--a.example.com")]
    [InlineData("panel.123")]
    [InlineData("localhost")]
    [InlineData("-panel.example.com")]
    public void Hostile_domains_are_refused(string domain)
    {
        var e = Assert.Throws<InputException>(() => WithRoute(domain: domain).Validate());
        Assert.Equal("domain", e.Field);
    }

    [Fact]
    public void Too_long_labels_and_names_are_refused()
    {
        Assert.Equal("domain", Assert.Throws<InputException>(() => WithRoute(domain: new string('a', 64) + ".example.com").Validate()).Field);
        Assert.Equal("domain", Assert.Throws<InputException>(() => WithRoute(domain: string.Join('.', Enumerable.Repeat(new string('a', 60), 5))).Validate()).Field);
        Assert.Equal("routes[2].upstream", Assert.Throws<InputException>(() => WithRoute(upstream: $"http://{new string('b', 64)}.example/").Validate()).Field);
    }

    [Fact]
    public void Valid_values_pass_including_punycode_and_ipv6()
    {
        var site = WithRoute(path: "/my-app_1.0/", upstream: "https://[::1]:8443/base/", domain: "xn--bcher-kva.example").Validate();
        Assert.Equal("xn--bcher-kva.example", site.Domain);
        Assert.Equal(new Upstream("https", "[::1]", 8443, "/base/"), site.Routes[2].Upstream);
        Assert.Equal(new Upstream("http", "backend.internal", 80, ""), ProxyInputs.RequireUpstream("u", "http://Backend.internal"));
    }

    [Fact]
    public void Duplicate_paths_and_misplaced_start_pages_are_refused()
    {
        Assert.Equal("routes[2].path", Assert.Throws<InputException>(() => WithRoute(path: "/pai/").Validate()).Field);
        Assert.Equal("routes[2].startPage", Assert.Throws<InputException>(() => WithRoute(startPage: "/other/").Validate()).Field);
        Assert.Equal("routes[2].startPage", Assert.Throws<InputException>(() => WithRoute(startPage: "/app/;x/").Validate()).Field);
    }

    [Fact]
    public void A_published_panel_needs_a_port_of_its_own_and_an_upstream_without_a_path()
    {
        var settings = DefaultSite.For("panel.example.com", "faasd");
        settings.Panel = new PublicPanelSettings { Port = 443 };
        Assert.Equal("panel.port", Assert.Throws<InputException>(() => settings.Validate()).Field);
        settings.Panel = new PublicPanelSettings { Upstream = "http://127.0.0.1:8800/panel/" };
        Assert.Equal("panel.upstream", Assert.Throws<InputException>(() => settings.Validate()).Field);
        settings.Panel = new PublicPanelSettings();
        Assert.Equal(new PublicPanel(8443, new Upstream("http", "127.0.0.1", 8800, "")), settings.Validate().Panel);
        Assert.Null(DefaultSite.For("panel.example.com", "faasd").Validate().Panel);
    }

    [Fact]
    public void The_renderer_refuses_unsafe_values_even_in_a_hand_built_model()
    {
        var location = new ProxyLocation("/a;b/", new Upstream("http", "127.0.0.1", 80, ""), [], false, false);
        var site = new NginxSite([new ServerBlock([new Listener("", 80, false)], ["panel.example.com"], null, [location])]);
        Assert.Throws<ArgumentException>(() => NginxRenderer.Render(site));
    }

    [Fact]
    public void A_hand_edited_routes_file_is_refused_with_the_route_named()
    {
        var json = """{"domain":"panel.example.com","routes":[{"path":"/","upstream":"http://127.0.0.1:1"},{"path":"/x/","upstream":"http://127.0.0.1:2"},{"path":"/a;b","upstream":"http://127.0.0.1:3"}]}""";
        var e = Assert.Throws<InputException>(() => ProxyRoutesStore.Parse(json).Validate());
        Assert.StartsWith("routes[2].path: \"/a;b\" ", e.Message);
        Assert.Equal("routes.json", Assert.Throws<InputException>(() => ProxyRoutesStore.Parse("{\"routes\": [")).Field);
    }

    [Fact]
    public void Routes_survive_a_save_and_load_round_trip()
    {
        var dir = Directory.CreateTempSubdirectory("cp-routes-").FullName;
        try
        {
            ProxyRoutesStore.Save(dir, DefaultSite.For("panel.example.com", "node"));
            var loaded = ProxyRoutesStore.Load(dir)!;
            Assert.Equal(DefaultSite.For("panel.example.com", "node").Validate(), loaded.Validate(), new SiteComparer());
            Assert.Throws<InputException>(() => ProxyRoutesStore.Save(dir, WithRoute(path: "/x;y/")));
            Assert.Equal("http://127.0.0.1:3000", ProxyRoutesStore.Load(dir)!.Routes[0].Upstream);
        }
        finally { Directory.Delete(dir, true); }
    }

    sealed class SiteComparer : IEqualityComparer<ProxySite>
    {
        public bool Equals(ProxySite? a, ProxySite? b) => a!.Domain == b!.Domain && a.Hsts == b.Hsts && a.Routes.SequenceEqual(b.Routes);
        public int GetHashCode(ProxySite s) => s.Domain.GetHashCode();
    }
}
