using ControlPanel.Engine.Tests.Support;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ControlPanel.Engine.Acme;
using ControlPanel.TestPeers;
using static ControlPanel.Engine.Tests.Acme.AcmeTestSupport;

namespace ControlPanel.Engine.Tests.Acme;

/// <summary>Failures reach the user with the CA's own problem document, or name the URL that failed.</summary>
public sealed class AcmeErrorTests
{
    const string EabKid = "kid-1";
    const string EabKey = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";

    [Fact]
    public async Task Eab_required_refuses_an_account_without_binding_and_accepts_one_with_it()
    {
        await using var pebble = await Pebble.StartAsync(new PebbleOptions { EabKeys = new Dictionary<string, string> { [EabKid] = EabKey } });
        using var data = new TempDir();

        var refused = await Assert.ThrowsAsync<AcmeProblemException>(() => IssueAsync(pebble, data.Path, ["panel.test"]));
        Assert.Equal(AcmeProblem.ExternalAccountRequired, refused.Problem.Type);
        Assert.StartsWith("urn:ietf:params:acme:error:externalAccountRequired: ", refused.Message);
        Assert.Contains("External Account Binding", refused.Message);

        var wrongKey = ExternalAccountBinding.Parse("--eab-kid", EabKid, "--eab-hmac-key", Base64Url("a different secret key"))!;
        var badMac = await Assert.ThrowsAsync<AcmeProblemException>(() => IssueAsync(pebble, data.Path, ["panel.test"], wrongKey));
        Assert.StartsWith("urn:ietf:params:acme:error:", badMac.Message);

        var eab = ExternalAccountBinding.Parse("--eab-kid", EabKid, "--eab-hmac-key", EabKey)!;
        var log = new RecordingLog();
        var issued = await IssueAsync(pebble, data.Path, ["panel.test"], eab, log: log);
        Assert.Equal(["panel.test"], issued.Names);
        Assert.Contains("bound with EAB key id kid-1", log.Text);
        Assert.DoesNotContain(EabKey, log.Text);
        Assert.DoesNotContain(EabKey, eab.ToString());
    }

    [Fact]
    public async Task Eab_is_optional_when_the_ca_does_not_require_it()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        var issued = await IssueAsync(pebble, data.Path, ["panel.test"]);
        Assert.Equal(["panel.test"], issued.Names);
    }

    [Fact]
    public async Task Wrong_key_authorization_fails_with_the_cas_unauthorized_problem()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        await using var liar = new WrongAnswerResponder(pebble.HttpPort);
        var issuer = new AcmeIssuer(new AccountStore(data.Path), FastPolling);
        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => issuer.IssueAsync(
            new CertificateOrderSpec(["bad.panel.test"], null, Directory(pebble)), null, liar, new RecordingLog(), CancellationToken.None));
        Assert.StartsWith("urn:ietf:params:acme:error:unauthorized: ", e.Message);
        Assert.Contains("http-01 validation of bad.panel.test failed", e.Message);
    }

    [Fact]
    public async Task Nothing_listening_for_the_challenge_fails_with_the_cas_connection_problem()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        using var webroot = new TempDir();
        // The file is written, but no web server serves it on pebble's HTTP port.
        await using var responder = new WebrootHttp01Responder(new ControlPanel.Engine.Hosts.LocalHost(), webroot.Path);
        var issuer = new AcmeIssuer(new AccountStore(data.Path), FastPolling);
        var e = await Assert.ThrowsAsync<AcmeProblemException>(() => issuer.IssueAsync(
            new CertificateOrderSpec(["down.panel.test"], null, Directory(pebble)), null, responder, new RecordingLog(), CancellationToken.None));
        Assert.StartsWith("urn:ietf:params:acme:error:connection: ", e.Message);
        Assert.Contains("down.panel.test", e.Message);
        Assert.Empty(System.IO.Directory.GetFiles(Path.Combine(webroot.Path, ".well-known", "acme-challenge")));
    }

    [Fact]
    public async Task Unknown_directory_path_names_the_url()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        var url = $"https://127.0.0.1:{pebble.Port}/no-such-directory";
        var e = await Assert.ThrowsAsync<AcmeException>(() => new AcmeIssuer(new AccountStore(data.Path), FastPolling).IssueAsync(
            new CertificateOrderSpec(["panel.test"], null, new AcmeDirectorySettings(new Uri(url), pebble.CaFile)), null,
            Responder(pebble), new RecordingLog(), CancellationToken.None));
        Assert.Equal($"{url} is not an ACME directory: HTTP 404 Not Found", e.Message);
    }

    [Fact]
    public async Task Connection_refused_names_the_url()
    {
        using var data = new TempDir();
        var url = $"https://127.0.0.1:{LoopbackPorts.Tcp()}/dir";
        await using var responder = StandaloneHttp01Responder.Start(IPAddress.Loopback, 0);
        var e = await Assert.ThrowsAsync<AcmeException>(() => new AcmeIssuer(new AccountStore(data.Path), FastPolling).IssueAsync(
            new CertificateOrderSpec(["panel.test"], null, new AcmeDirectorySettings(new Uri(url), null)), null,
            responder, new RecordingLog(), CancellationToken.None));
        Assert.StartsWith($"cannot reach the ACME server at {url}: ", e.Message);
        Assert.Contains("Connection refused", e.Message);
    }

    [Fact]
    public async Task Warming_up_against_a_CA_that_cannot_be_reached_ends_quietly_leaving_the_error_to_the_issuance()
    {
        var url = $"https://127.0.0.1:{LoopbackPorts.Tcp()}/dir";
        var warm = AcmeIssuer.WarmUpAsync(new AcmeDirectorySettings(new Uri(url), null), CancellationToken.None);
        Assert.Same(warm, await Task.WhenAny(warm, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.True(warm.IsCompletedSuccessfully, warm.Exception?.ToString());
    }

    [Fact]
    public async Task Untrusted_directory_tls_is_refused_without_the_ca_bundle()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        await using var responder = Responder(pebble);
        var e = await Assert.ThrowsAsync<AcmeException>(() => new AcmeIssuer(new AccountStore(data.Path), FastPolling).IssueAsync(
            new CertificateOrderSpec(["panel.test"], null, new AcmeDirectorySettings(new Uri(pebble.DirectoryUrl), null)), null,
            responder, new RecordingLog(), CancellationToken.None));
        Assert.StartsWith($"cannot reach the ACME server at {pebble.DirectoryUrl}: ", e.Message);
        Assert.Contains("SSL", e.Message);
    }

    [Fact]
    public void Standalone_listener_on_a_taken_port_says_so()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var e = Assert.Throws<AcmeException>(() => StandaloneHttp01Responder.Start(IPAddress.Loopback, port));
        Assert.Contains($"cannot listen on 127.0.0.1:{port} for the HTTP-01 challenge", e.Message);
    }

    [Fact]
    public void Eab_input_is_validated_by_field_without_echoing_the_key()
    {
        var noKey = Assert.Throws<ControlPanel.Engine.Validation.InputException>(() => ExternalAccountBinding.Parse("--eab-kid", "k", "--eab-hmac-key", null));
        Assert.Equal("--eab-hmac-key", noKey.Field);
        var noKid = Assert.Throws<ControlPanel.Engine.Validation.InputException>(() => ExternalAccountBinding.Parse("--eab-kid", "", "--eab-hmac-key", EabKey));
        Assert.Equal("--eab-kid", noKid.Field);
        var bad = Assert.Throws<ControlPanel.Engine.Validation.InputException>(() => ExternalAccountBinding.Parse("--eab-kid", "k", "--eab-hmac-key", "not base64url!"));
        Assert.Equal("--eab-hmac-key", bad.Field);
        Assert.DoesNotContain("not base64url!", bad.Message);
        Assert.Null(ExternalAccountBinding.Parse("--eab-kid", null, "--eab-hmac-key", " "));
    }

    static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Serves a key authorization that does not belong to the challenge.</summary>
    sealed class WrongAnswerResponder(int port) : IHttp01Responder
    {
        readonly StandaloneHttp01Responder inner = StandaloneHttp01Responder.Start(IPAddress.Loopback, port);
        public Task PublishAsync(string token, string keyAuthorization, CancellationToken ct) => inner.PublishAsync(token, token + ".not-the-account-thumbprint", ct);
        public Task RemoveAsync(string token, CancellationToken ct) => inner.RemoveAsync(token, ct);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
