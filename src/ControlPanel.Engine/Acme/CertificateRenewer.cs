using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Acme;

public enum RenewalResult { NotDue, Renewed, Failed, Waiting }

/// <summary>What happened to one managed certificate in a renewal pass.</summary>
public sealed record RenewalOutcome(long Id, string Domains, RenewalResult Result, string Detail);

/// <summary>One managed certificate looked at: settled (not due, or its next check has not come), or why it needs renewing.</summary>
public sealed record RenewalCheck(CertificateRecord Record, RenewalOutcome? Settled, string? Reason);

/// <summary>
/// The look a renewal pass takes at the managed certificates: each one whose next check has come (or all, when asked)
/// is read back from its host; missing, not matching or due (<see cref="RenewalPolicy"/>) it needs renewing, which is
/// a run of its own (<see cref="RenewCertificateStage"/>, under the host lock); otherwise its check is recorded.
/// </summary>
public sealed class CertificateRenewer(string dataDirectory, IHostFactory hosts, TimeProvider? time = null)
{
    readonly TimeProvider clock = time ?? TimeProvider.System;
    readonly CertificateStore store = new(dataDirectory);

    /// <param name="force">Renew every certificate now, due or not.</param>
    /// <param name="all">Look at every certificate now, not only those whose next check has come.</param>
    public async Task<IReadOnlyList<RenewalCheck>> CheckAsync(bool force, bool all, CancellationToken ct)
    {
        var checks = new List<RenewalCheck>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var group in (await store.ListAsync(ct)).GroupBy(c => c.HostSpec))
        {
            await using var host = hosts.Create(group.Key);
            foreach (var record in group) checks.Add(await CheckOneAsync(host, record, force, all, now, ct));
        }
        return checks;
    }

    async Task<RenewalCheck> CheckOneAsync(IHost host, CertificateRecord record, bool force, bool all, DateTime now, CancellationToken ct)
    {
        if (!force && !all && record.NextCheckAt > now)
            return new(record, new(record.Id, record.Domains, RenewalResult.Waiting, $"next check {record.NextCheckAt:u}"), null);
        var installed = await CertificateFiles.ReadAsync(host, record.CertDirectory, ct);
        var reason = force ? "renewal forced"
            : installed is null ? $"no certificate in {record.CertDirectory}"
            : !installed.KeyMatches ? "the private key does not match the certificate"
            : record.DomainList.Except(installed.Names).Any() ? "the certificate does not cover " + string.Join(", ", record.DomainList.Except(installed.Names))
            : RenewalPolicy.IsDue(installed.NotBefore, installed.NotAfter, now) ? $"due: expires {installed.NotAfter:u}"
            : null;
        if (reason is not null) return new(record, null, reason);
        await store.RecordCheckedAsync(record.Id, installed!, now, ct);
        return new(record, new(record.Id, record.Domains, RenewalResult.NotDue,
            $"valid until {installed!.NotAfter:u}, renewal from {RenewalPolicy.RenewAt(installed.NotBefore, installed.NotAfter):u}"), null);
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
