using ControlPanel.Engine.Tests.Support;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Acme;

/// <summary>Renewal passes against pebble: not due, due, forced, failure with the CA's error and backoff, recovery; each renewal a run under the host lock.</summary>
public sealed class CertificateRenewerTests
{
    [Fact]
    public async Task Renews_when_due_records_failures_with_backoff_and_recovers()
    {
        // No authorization reuse: every renewal really answers a challenge, so a broken one fails.
        await using var pebble = await Pebble.StartAsync(new PebbleOptions { AuthzReusePercent = 0 });
        using var tmp = new TempDir();
        var data = tmp.Sub("data");
        var certDir = tmp.Sub("live/panel.test");
        var start = DateTimeOffset.UtcNow;
        var clock = new ManualClock(start);
        var target = new ManagedCertificate("local", certDir,
            new CertificateOrderSpec(["panel.test"], "admin@panel.test", AcmeTestSupport.Directory(pebble)),
            new ChallengeSettings(ChallengeSettings.Standalone, pebble.HttpPort, ListenAddress: "127.0.0.1"));
        var log = new RecordingLog();
        var first = await new CertificateService(data, AcmeTestSupport.FastPolling, clock).IssueAsync(new LocalHost(), target, null, log, CancellationToken.None);
        ControlPanelDb.Migrate(data);
        await using var engines = new TestEngines();
        var engine = engines.Create(new EngineOptions(data), CertificatePlans.AddTo(new PlanCatalog("acme-test"), AcmeTestSupport.FastPolling, clock));
        var renewer = new Renewer(new CertificateRenewals(engine, new HostFactory(new SshOptions()), clock));

        // The daily check has not come yet; looked at anyway, it is not due.
        Assert.Equal(RenewalResult.Waiting, (await renewer.RunAsync(false, false, log, CancellationToken.None)).Single().Result);
        Assert.Equal(RenewalResult.NotDue, (await renewer.RunAsync(false, true, log, CancellationToken.None)).Single().Result);
        Assert.Equal(first.Leaf.SerialNumber, Serial(certDir));

        // Near expiry (pebble's certificates last 5 years: 30 days before the end), the daily check renews.
        clock.Now = new DateTimeOffset(first.NotAfter.AddDays(-10), TimeSpan.Zero);
        var renewed = (await renewer.RunAsync(false, false, log, CancellationToken.None)).Single();
        Assert.Equal(RenewalResult.Renewed, renewed.Result);
        var second = Serial(certDir);
        Assert.NotEqual(first.Leaf.SerialNumber, second);
        var record = await Record(data);
        Assert.Equal(clock.Now.UtcDateTime, record.LastIssuedAt);
        Assert.Equal(clock.Now.UtcDateTime.AddDays(1), record.NextCheckAt);

        // Forced renewal ignores the schedule.
        Assert.Equal(RenewalResult.Renewed, (await renewer.RunAsync(true, false, log, CancellationToken.None)).Single().Result);
        Assert.NotEqual(second, Serial(certDir));

        // Break the challenge: a webroot nobody serves. The CA's error is recorded and retried with backoff.
        await Update(data, r => { r.ChallengeMode = ChallengeSettings.WebrootMode; r.Webroot = tmp.Sub("webroot"); });
        var failed = (await renewer.RunAsync(true, false, log, CancellationToken.None)).Single();
        Assert.Equal(RenewalResult.Failed, failed.Result);
        Assert.StartsWith("urn:ietf:params:acme:error:connection: ", failed.Detail);
        record = await Record(data);
        Assert.Equal(failed.Detail, record.LastError);
        Assert.Equal(1, record.FailureCount);
        Assert.Equal(clock.Now.UtcDateTime.AddHours(1), record.NextCheckAt);

        clock.Now = clock.Now.AddMinutes(30);
        Assert.Equal(RenewalResult.Waiting, (await renewer.RunAsync(false, false, log, CancellationToken.None)).Single().Result);
        clock.Now = clock.Now.AddMinutes(31);
        Assert.Equal(RenewalResult.Failed, (await renewer.RunAsync(false, false, log, CancellationToken.None)).Single().Result);
        record = await Record(data);
        Assert.Equal(2, record.FailureCount);
        Assert.Equal(clock.Now.UtcDateTime.AddHours(2), record.NextCheckAt);

        await Update(data, r => r.ChallengeMode = ChallengeSettings.Standalone);
        clock.Now = clock.Now.AddHours(2);
        Assert.Equal(RenewalResult.Renewed, (await renewer.RunAsync(false, false, log, CancellationToken.None)).Single().Result);
        record = await Record(data);
        Assert.Null(record.LastError);
        Assert.Equal(0, record.FailureCount);

        // Every renewal was a run of its own; a host that another run holds is tried again at the next pass.
        await using (var db = ControlPanelDb.Open(data))
            Assert.Equal(5, await db.Runs.CountAsync(r => r.Kind == CertificatePlans.RenewKind));
        using (HostLock.TryAcquire(data, "local", "someone else"))
        {
            var busy = (await renewer.RunAsync(true, false, log, CancellationToken.None)).Single();
            Assert.Equal(RenewalResult.Waiting, busy.Result);
            Assert.Contains("another run holds local", busy.Detail);
        }
    }

    /// <summary>The pass as the job and the CLI call it, with the old test's shape.</summary>
    sealed class Renewer(CertificateRenewals renewals)
    {
        public Task<IReadOnlyList<RenewalOutcome>> RunAsync(bool force, bool all, RecordingLog _, CancellationToken ct) => renewals.RunAsync(force, all, "test", ct);
    }

    [Fact]
    public void Policy_renews_at_a_third_of_the_lifetime_or_30_days_whichever_is_less()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(start.AddDays(60), RenewalPolicy.RenewAt(start, start.AddDays(90)));
        Assert.Equal(start.AddDays(4), RenewalPolicy.RenewAt(start, start.AddDays(6)));
        Assert.Equal(start.AddDays(365 - 30), RenewalPolicy.RenewAt(start, start.AddDays(365)));
        Assert.False(RenewalPolicy.IsDue(start, start.AddDays(90), start.AddDays(59)));
        Assert.True(RenewalPolicy.IsDue(start, start.AddDays(90), start.AddDays(60)));
        Assert.Equal(TimeSpan.FromHours(1), RenewalPolicy.RetryDelay(1));
        Assert.Equal(TimeSpan.FromHours(8), RenewalPolicy.RetryDelay(4));
        Assert.Equal(TimeSpan.FromHours(24), RenewalPolicy.RetryDelay(30));
    }

    static string Serial(string certDir) =>
        IssuedCertificate.ParseChain(File.ReadAllText(Path.Combine(certDir, "fullchain.pem")))[0].SerialNumber;

    static async Task<CertificateRecord> Record(string data)
    {
        await using var db = ControlPanelDb.Open(data);
        return await db.Certificates.AsNoTracking().SingleAsync();
    }

    static async Task Update(string data, Action<CertificateRecord> change)
    {
        await using var db = ControlPanelDb.Open(data);
        change(await db.Certificates.SingleAsync());
        await db.SaveChangesAsync();
    }
}
