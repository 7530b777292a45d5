using ControlPanel.Engine.Tests.Support;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Stages;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Acme;

/// <summary>The install plan's certificate stage against pebble: check, dry run, apply, idempotence, renewal due.</summary>
public sealed class CertificateStageTests
{
    static CertificateIssueRequest Request(Pebble pebble, string certDir) => CertificateIssueRequest.From(new StoredRequest(CertificateIssueRequest.Kind,
        new Dictionary<string, string>
        {
            ["domain"] = "panel.test",
            ["email"] = "admin@panel.test",
            ["acmeDirectory"] = pebble.DirectoryUrl,
            ["acmeDirectoryCa"] = pebble.CaFile,
            ["acmeChallenge"] = "standalone",
            ["acmeHttpPort"] = pebble.HttpPort.ToString(),
            ["acmeCertDir"] = certDir,
        },
        new Dictionary<string, string>()));

    [Fact]
    public async Task Issues_once_then_is_satisfied_and_becomes_due_near_expiry()
    {
        await using var pebble = await Pebble.StartAsync();
        using var tmp = new TempDir();
        var certDir = tmp.Sub("live/panel.test");
        var request = Request(pebble, certDir);
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var stage = new CertificateStage(request, AcmeTestSupport.FastPolling, clock);
        var log = new RecordingLog();
        var context = new StageContext(new LocalHost(), log, tmp.Sub("data"), CancellationToken.None);

        var before = await stage.CheckAsync(context);
        Assert.False(before.Done);
        Assert.Equal($"no certificate in {certDir}", before.Reason);

        // Dry run: the four files are previewed with their modes, nothing is written, the CA is not asked.
        var preview = await PlanPreviewer.PreviewAsync(new Plan("install", [stage]), request, new LocalHost(), tmp.Sub("data"), CancellationToken.None);
        var actions = preview.Single().Actions.Select(a => a.ToString()).ToList();
        Assert.Contains($"{certDir}/privkey.pem: created (mode 0600)", actions);
        Assert.Contains($"{certDir}/fullchain.pem: created (mode 0644)", actions);
        Assert.Equal(4, actions.Count);
        Assert.False(Directory.Exists(certDir));

        await stage.ApplyAsync(context);
        await stage.VerifyAsync(context);
        Assert.Equal("0600", Mode(Path.Combine(certDir, "privkey.pem")));
        foreach (var f in new[] { "cert.pem", "chain.pem", "fullchain.pem" }) Assert.Equal("0644", Mode(Path.Combine(certDir, f)));
        Assert.Equal(File.ReadAllText(Path.Combine(certDir, "cert.pem")) + File.ReadAllText(Path.Combine(certDir, "chain.pem")),
            File.ReadAllText(Path.Combine(certDir, "fullchain.pem")));
        Assert.DoesNotContain("PRIVATE KEY", log.Text);

        var after = await stage.CheckAsync(context);
        Assert.True(after.Done, after.Reason);
        Assert.StartsWith("certificate for panel.test valid until ", after.Reason);

        await using (var db = ControlPanelDb.Open(tmp.Sub("data")))
        {
            var record = await db.Certificates.SingleAsync();
            Assert.Equal("panel.test", record.Domains);
            Assert.Equal(certDir, record.CertDirectory);
            Assert.Equal("local", record.HostSpec);
            Assert.NotNull(record.NotAfter);
            Assert.Null(record.LastError);
        }

        var installed = (await CertificateFiles.ReadAsync(new LocalHost(), certDir, CancellationToken.None))!;
        clock.Now = RenewalPolicy.RenewAt(installed.NotBefore, installed.NotAfter).AddMinutes(1);
        var due = await stage.CheckAsync(context);
        Assert.False(due.Done);
        Assert.Contains("due for renewal", due.Reason);
    }

    [Fact]
    public async Task A_certificate_for_another_name_or_a_foreign_key_is_not_accepted()
    {
        await using var pebble = await Pebble.StartAsync();
        using var tmp = new TempDir();
        var certDir = tmp.Sub("live");
        var other = await AcmeTestSupport.IssueAsync(pebble, tmp.Sub("data"), ["other.panel.test"]);
        await CertificateFiles.WriteAsync(new LocalHost(), certDir, other, CancellationToken.None);
        var stage = new CertificateStage(Request(pebble, certDir), AcmeTestSupport.FastPolling);
        var context = new StageContext(new LocalHost(), new RecordingLog(), tmp.Sub("data"), CancellationToken.None);
        Assert.Equal($"the certificate in {certDir} does not cover panel.test", (await stage.CheckAsync(context)).Reason);

        var mine = await AcmeTestSupport.IssueAsync(pebble, tmp.Sub("data"), ["panel.test"]);
        await CertificateFiles.WriteAsync(new LocalHost(), certDir, mine, CancellationToken.None);
        Assert.True((await stage.CheckAsync(context)).Done);
        File.WriteAllText(Path.Combine(certDir, "privkey.pem"), other.PrivateKeyPem);
        Assert.Equal($"privkey.pem in {certDir} does not match the certificate", (await stage.CheckAsync(context)).Reason);
    }

    [Fact]
    public void Bad_inputs_name_their_field_when_the_request_is_made_before_any_stage_runs()
    {
        using var tmp = new TempDir();
        string FieldOf(Dictionary<string, string> inputs) =>
            Assert.Throws<ControlPanel.Engine.Validation.InputException>(() =>
                CertificateIssueRequest.From(new StoredRequest(CertificateIssueRequest.Kind, inputs, new Dictionary<string, string>()))).Field;
        Assert.Equal("domain", FieldOf(new() { ["domain"] = "bad_name.test" }));
        Assert.Equal("acmeDirectory", FieldOf(new() { ["domain"] = "panel.test", ["acmeDirectory"] = "http://127.0.0.1/dir" }));
        Assert.Equal("acmeDirectoryCa", FieldOf(new() { ["domain"] = "panel.test", ["acmeDirectoryCa"] = tmp.Sub("missing.pem") }));
        Assert.Equal("acmeHttpPort", FieldOf(new() { ["domain"] = "panel.test", ["acmeHttpPort"] = "70000" }));
        Assert.Equal("acmeCertDir", FieldOf(new() { ["domain"] = "panel.test", ["acmeCertDir"] = "/etc/../root" }));
        Assert.Equal("email", FieldOf(new() { ["domain"] = "panel.test", ["email"] = "nobody" }));
    }

    static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');

    [Fact]
    public async Task A_ca_that_does_not_answer_in_time_is_a_transient_failure_worth_another_attempt()
    {
        // Accepts connections and never answers: the TLS handshake waits until the request timeout.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var tmp = new TempDir();
        var request = CertificateIssueRequest.Parse(["panel.test"], "admin@panel.test", $"https://127.0.0.1:{port}/dir", null,
            challenge: "standalone", certDirectory: tmp.Sub("live/panel.test"));
        var stage = new CertificateStage(request, AcmeTestSupport.FastPolling with { RequestTimeout = TimeSpan.FromSeconds(1) });
        var context = new StageContext(new LocalHost(), new RecordingLog(), tmp.Sub("data"), CancellationToken.None);

        var e = await Assert.ThrowsAsync<TransientStageException>(() => stage.ApplyAsync(context));
        Assert.Equal($"the ACME server at https://127.0.0.1:{port}/dir did not answer within 1 s", e.Message);
    }
}
