using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Acme;

public enum RenewalResult { NotDue, Renewed, Failed, Waiting }

/// <summary>What happened to one managed certificate in a renewal pass.</summary>
public sealed record RenewalOutcome(long Id, string Domains, RenewalResult Result, string Detail);

/// <summary>
/// A renewal pass over the managed certificates: each one whose next check has come (or all, when asked)
/// is read back from its host; if it is missing, not matching or due (<see cref="RenewalPolicy"/>), it is issued
/// again. nginx is reloaded on every host where a certificate changed, if nginx is active there. Failures are
/// recorded with the CA's error and retried later with backoff.
/// </summary>
public sealed class CertificateRenewer(string dataDirectory, IHostFactory hosts, AcmeClientOptions? options = null, TimeProvider? time = null)
{
    readonly TimeProvider clock = time ?? TimeProvider.System;
    readonly CertificateService service = new(dataDirectory, options, time);

    /// <param name="force">Renew every certificate now, due or not.</param>
    /// <param name="all">Look at every certificate now, not only those whose next check has come.</param>
    public async Task<IReadOnlyList<RenewalOutcome>> RunAsync(bool force, bool all, IStageLog log, CancellationToken ct)
    {
        var outcomes = new List<RenewalOutcome>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var group in (await service.Store.ListAsync(ct)).GroupBy(c => c.HostSpec))
        {
            await using var host = hosts.Create(group.Key);
            var renewed = false;
            foreach (var record in group)
            {
                var outcome = await RenewOneAsync(host, record, force, all, now, log, ct);
                renewed |= outcome.Result == RenewalResult.Renewed;
                outcomes.Add(outcome);
            }
            if (renewed) await ReloadNginxAsync(host, log, ct);
        }
        return outcomes;
    }

    async Task<RenewalOutcome> RenewOneAsync(IHost host, CertificateRecord record, bool force, bool all, DateTime now, IStageLog log, CancellationToken ct)
    {
        if (!force && !all && record.NextCheckAt > now)
            return new(record.Id, record.Domains, RenewalResult.Waiting, $"next check {record.NextCheckAt:u}");
        var installed = await CertificateFiles.ReadAsync(host, record.CertDirectory, ct);
        var reason = force ? "renewal forced"
            : installed is null ? $"no certificate in {record.CertDirectory}"
            : !installed.KeyMatches ? "the private key does not match the certificate"
            : record.DomainList.Except(installed.Names).Any() ? "the certificate does not cover " + string.Join(", ", record.DomainList.Except(installed.Names))
            : RenewalPolicy.IsDue(installed.NotBefore, installed.NotAfter, now) ? $"due: expires {installed.NotAfter:u}"
            : null;
        if (reason is null)
        {
            await service.Store.RecordCheckedAsync(record.Id, installed!, now, ct);
            return new(record.Id, record.Domains, RenewalResult.NotDue,
                $"valid until {installed!.NotAfter:u}, renewal from {RenewalPolicy.RenewAt(installed.NotBefore, installed.NotAfter):u}");
        }
        log.Info($"{record.Domains}: renewing ({reason})");
        try
        {
            var issued = await service.IssueAsync(host, record.ToManaged(), eab: null, log, ct);
            return new(record.Id, record.Domains, RenewalResult.Renewed, $"valid until {issued.NotAfter:u}");
        }
        catch (AcmeException e)
        {
            log.Warn($"{record.Domains}: renewal failed: {e.Message}");
            return new(record.Id, record.Domains, RenewalResult.Failed, e.Message);
        }
    }

    /// <summary>nginx picks up new certificate files only on reload; a stopped nginx reads them when it starts.</summary>
    public static async Task ReloadNginxAsync(IHost host, IStageLog log, CancellationToken ct)
    {
        if (!await ChallengeSettings.NginxActiveAsync(host, ct)) return;
        log.Info("$ systemctl reload nginx");
        try
        {
            await host.RunAsync(ProcessSpec.Of("systemctl", "reload", "nginx") with { OnLine = log.Output, Timeout = TimeSpan.FromMinutes(1) }, ct);
        }
        catch (CommandFailedException e)
        {
            log.Warn($"nginx did not reload, it still serves the old certificate: {e.Message}");
        }
    }
}
