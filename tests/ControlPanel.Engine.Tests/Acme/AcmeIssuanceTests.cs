using ControlPanel.Engine.Tests.Support;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Engine.Acme;
using ControlPanel.TestPeers;
using static ControlPanel.Engine.Tests.Acme.AcmeTestSupport;

namespace ControlPanel.Engine.Tests.Acme;

/// <summary>Issuance against Debian's pebble on loopback.</summary>
public sealed class AcmeIssuanceTests
{
    [Fact]
    public async Task Issues_a_certificate_whose_chain_verifies_against_pebbles_root()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        var issued = await IssueAsync(pebble, data.Path, ["panel.test", "www.panel.test"]);

        Assert.Equal(["panel.test", "www.panel.test"], issued.Names.Order().ToArray());
        Assert.True(issued.Chain.Count >= 2);
        Assert.True(Pebble.ChainsTo(issued.Leaf, issued.Chain.Skip(1), await pebble.RootAsync(0)), "chain does not verify against pebble's /roots/0");
        using var key = ECDsa.Create();
        key.ImportFromPem(issued.PrivateKeyPem);
        Assert.Equal(Convert.ToHexString(key.ExportSubjectPublicKeyInfo()), Convert.ToHexString(issued.Leaf.PublicKey.ExportSubjectPublicKeyInfo()));
    }

    [Fact]
    public async Task Account_key_is_created_once_stored_0600_and_reused()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        await IssueAsync(pebble, data.Path, ["panel.test"]);
        var file = new AccountStore(data.Path).FileFor(new Uri(pebble.DirectoryUrl));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        var first = File.ReadAllText(file);
        Assert.Contains("\"accountUrl\": \"https://127.0.0.1:", first);

        var log = new RecordingLog();
        await IssueAsync(pebble, data.Path, ["panel.test"], log: log);
        Assert.Equal(first, File.ReadAllText(file));
        Assert.DoesNotContain("ACME account", log.Text);
    }

    [Fact]
    public async Task An_account_the_ca_does_not_know_is_registered_again_with_the_same_key()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        await IssueAsync(pebble, data.Path, ["panel.test"]);
        var store = new AccountStore(data.Path);
        var directory = new Uri(pebble.DirectoryUrl);
        var (key, url) = store.LoadOrCreate(directory);
        store.Save(directory, key, url + "-forgotten");

        var log = new RecordingLog();
        var issued = await IssueAsync(pebble, data.Path, ["panel.test"], log: log);
        Assert.Equal(["panel.test"], issued.Names);
        Assert.Contains("is unknown to the CA; registering again", log.Text);
        var (again, againUrl) = store.LoadOrCreate(directory);
        Assert.Equal(key.Thumbprint, again.Thumbprint);
        Assert.Equal(url, againUrl);
    }

    [Fact]
    public async Task Rsa_keys_are_issued_too()
    {
        await using var pebble = await Pebble.StartAsync();
        using var data = new TempDir();
        var issued = await IssueAsync(pebble, data.Path, ["rsa.panel.test"], keyType: CertificateKeyType.Rsa);
        Assert.NotNull(issued.Leaf.GetRSAPublicKey());
        Assert.Contains("BEGIN PRIVATE KEY", issued.PrivateKeyPem);
    }

    [Fact]
    public async Task Survives_a_high_badNonce_rate()
    {
        await using var pebble = await Pebble.StartAsync(new PebbleOptions { NonceRejectPercent = 50 });
        using var data = new TempDir();
        var log = new RecordingLog();
        for (var i = 0; i < 3; i++)
        {
            var issued = await IssueAsync(pebble, data.Path, [$"n{i}.panel.test"], log: log);
            Assert.Equal([$"n{i}.panel.test"], issued.Names);
        }
        // About half of ~30 signed requests are refused; a client that gave up after one retry would fail here.
        var retries = System.Text.RegularExpressions.Regex.Matches(log.Text, @"refused (\d+) nonce").Sum(m => int.Parse(m.Groups[1].Value));
        Assert.True(retries >= 5, $"only {retries} badNonce retries seen:\n{log.Text}");
    }

    [Fact]
    public async Task Reused_authorizations_are_not_challenged_again()
    {
        await using var pebble = await Pebble.StartAsync(new PebbleOptions { AuthzReusePercent = 100 });
        using var data = new TempDir();
        await IssueAsync(pebble, data.Path, ["reuse.panel.test"]);
        var log = new RecordingLog();
        var second = await IssueAsync(pebble, data.Path, ["reuse.panel.test", "new.panel.test"], log: log);
        Assert.Contains("reuse.panel.test: already authorized", log.Text);
        Assert.Contains("new.panel.test: http-01 validated", log.Text);
        Assert.DoesNotContain("reuse.panel.test: http-01 validated", log.Text);
        Assert.Equal(["new.panel.test", "reuse.panel.test"], second.Names.Order().ToArray());
    }

    [Fact]
    public async Task Chooses_an_alternate_chain_by_issuer_name()
    {
        await using var pebble = await Pebble.StartAsync(new PebbleOptions { AlternateRoots = 2 });
        using var data = new TempDir();
        var root0 = await pebble.RootAsync(0);
        var root2 = await pebble.RootAsync(2);
        var wanted = root2.GetNameInfo(X509NameType.SimpleName, false);

        var byDefault = await IssueAsync(pebble, data.Path, ["chain.panel.test"]);
        Assert.True(Pebble.ChainsTo(byDefault.Leaf, byDefault.Chain.Skip(1), root0));
        Assert.NotEqual(wanted, byDefault.TopIssuer);

        var log = new RecordingLog();
        var preferred = await IssueAsync(pebble, data.Path, ["chain.panel.test"], preferredChain: wanted, log: log);
        Assert.Equal(wanted, preferred.TopIssuer);
        Assert.True(Pebble.ChainsTo(preferred.Leaf, preferred.Chain.Skip(1), root2), "alternate chain does not verify against /roots/2");
        Assert.False(Pebble.ChainsTo(preferred.Leaf, preferred.Chain.Skip(1), root0));
        Assert.Contains("alternate chain", log.Text);
    }

    [Fact]
    public async Task Unknown_preferred_chain_falls_back_to_the_default_with_a_warning()
    {
        await using var pebble = await Pebble.StartAsync(new PebbleOptions { AlternateRoots = 1 });
        using var data = new TempDir();
        var log = new RecordingLog();
        var issued = await IssueAsync(pebble, data.Path, ["panel.test"], preferredChain: "No Such Root", log: log);
        Assert.True(Pebble.ChainsTo(issued.Leaf, issued.Chain.Skip(1), await pebble.RootAsync(0)));
        Assert.Contains("warn: no chain from the CA is issued by \"No Such Root\"", log.Text);
    }
}
