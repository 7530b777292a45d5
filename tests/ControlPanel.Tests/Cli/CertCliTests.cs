using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ControlPanel.TestPeers;

namespace ControlPanel.Tests.Cli;

/// <summary>`controlpanel cert` end to end: the built binary against Debian's pebble on loopback.</summary>
public sealed class CertCliTests : IDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "cp-cert-" + Guid.NewGuid().ToString("N")[..10]);
    string Data => Path.Combine(root, "data");
    string Out => Path.Combine(root, "out");
    public void Dispose() { try { Directory.Delete(root, true); } catch (IOException) { } }

    [Fact]
    public async Task Issue_writes_the_four_files_then_list_and_renew_see_the_certificate()
    {
        await using var pebble = await Pebble.StartAsync();
        var r = await Cli.RunAsync("cert", "issue", "--domain", "panel.test", "--domain", "www.panel.test", "--email", "admin@panel.test",
            "--directory", pebble.DirectoryUrl, "--directory-ca", pebble.CaFile, "--http-port", pebble.HttpPort.ToString(),
            "--out", Out, "--data", Data);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains($"certificate for panel.test, www.panel.test in {Out}", r.Stdout);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Out, "privkey.pem")));
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(Path.Combine(Out, "fullchain.pem"));
        Assert.True(Pebble.ChainsTo(chain[0], chain.Skip(1), await pebble.RootAsync()));
        Assert.Equal(chain[0].RawData, CertFile().RawData);
        Assert.Contains($"(valid until {chain[0].NotAfter.ToUniversalTime():u})", r.Stdout);
        using (var withKey = X509Certificate2.CreateFromPemFile(Path.Combine(Out, "fullchain.pem"), Path.Combine(Out, "privkey.pem")))
            Assert.True(withKey.HasPrivateKey);
        Assert.DoesNotContain("PRIVATE KEY", r.Stdout + r.Stderr);

        var list = await Cli.RunAsync("cert", "list", "--json", "--data", Data);
        Assert.Equal(0, list.ExitCode);
        var entry = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal("panel.test,www.panel.test", entry.GetProperty("domains").GetString());
        Assert.Equal("ok", entry.GetProperty("state").GetString());
        Assert.Equal(Out, entry.GetProperty("certDirectory").GetString());

        var renew = await Cli.RunAsync("cert", "renew", "--data", Data);
        Assert.Equal(0, renew.ExitCode);
        Assert.Contains("panel.test,www.panel.test: not due: valid until", renew.Stdout);

        var forced = await Cli.RunAsync("cert", "renew", "--force", "--data", Data);
        Assert.True(forced.ExitCode == 0, forced.Stdout + forced.Stderr);
        Assert.Contains("panel.test,www.panel.test: renewed", forced.Stdout);
        Assert.NotEqual(chain[0].SerialNumber, CertFile().SerialNumber);
    }

    X509Certificate2 CertFile() => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(Out, "cert.pem")));

    [Fact]
    public async Task A_failed_challenge_exits_1_with_the_cas_problem_and_is_listed_as_failing()
    {
        await using var pebble = await Pebble.StartAsync();
        // Our listener on another port than the one pebble validates: pebble cannot connect.
        var r = await Cli.RunAsync("cert", "issue", "--domain", "panel.test", "--directory", pebble.DirectoryUrl, "--directory-ca", pebble.CaFile,
            "--http-port", LoopbackPorts.Tcp().ToString(), "--out", Out, "--data", Data);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error: urn:ietf:params:acme:error:connection: ", r.Stderr);
        Assert.False(File.Exists(Path.Combine(Out, "privkey.pem")));

        var list = await Cli.RunAsync("cert", "list", "--data", Data);
        Assert.Contains("not issued", list.Stdout);
        Assert.Contains("last error (1x, ", list.Stdout);
        Assert.Contains("urn:ietf:params:acme:error:connection", list.Stdout);
    }

    [Theory]
    [InlineData("--directory", "http://127.0.0.1:1/dir", "--directory: \"http://127.0.0.1:1/dir\" must be https://")]
    [InlineData("--directory", "lets-encrypt", "--directory: \"lets-encrypt\" is not an http:// or https:// URL")]
    [InlineData("--directory-ca", "/nonexistent/ca.pem", "--directory-ca: \"/nonexistent/ca.pem\" does not exist")]
    [InlineData("--http-port", "0", "--http-port: \"0\" must be a port number from 1 to 65535")]
    [InlineData("--eab-kid", "kid-1", "--eab-hmac-key: is required with --eab-kid")]
    [InlineData("--email", "nobody", "--email: \"nobody\" is not a valid e-mail address")]
    [InlineData("--key-type", "dsa", "--key-type: \"dsa\" must be one of: ec, rsa")]
    [InlineData("--domain", "bad_name.test", "--domain: \"bad_name.test\" is not a valid host name")]
    public async Task Bad_input_exits_2_naming_the_flag(string flag, string value, string message)
    {
        var args = new List<string> { "cert", "issue", "--domain", "panel.test", "--out", Out, "--data", Data };
        var i = args.IndexOf(flag);
        if (i >= 0) args[i + 1] = value; else args.AddRange([flag, value]);
        var r = await Cli.RunAsync([.. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task Missing_domain_exits_2()
    {
        var r = await Cli.RunAsync("cert", "issue", "--data", Data);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--domain: is required", r.Stderr);
    }
}
