using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// Issues a managed certificate onto its host: answer HTTP-01, get the certificate, write the four files,
/// and record the outcome (success or the CA's error) for renewal and the dashboard. Used by the
/// certificate stage, the CLI and the renewal job alike.
/// </summary>
public sealed class CertificateService(string dataDirectory, AcmeClientOptions? options = null, TimeProvider? time = null)
{
    readonly AcmeIssuer issuer = new(new AccountStore(dataDirectory), options);
    readonly TimeProvider clock = time ?? TimeProvider.System;

    public CertificateStore Store { get; } = new(dataDirectory);

    public async Task<IssuedCertificate> IssueAsync(IHost host, ManagedCertificate target, ExternalAccountBinding? eab, IStageLog log, CancellationToken ct)
    {
        // Opening the database costs a cold process more CPU than the whole ACME exchange: do it while the CA works.
        var storeReady = Store.PrepareAsync(ct);
        try
        {
            IssuedCertificate issued;
            await using (var responder = await target.Challenge.OpenAsync(host, ct))
                issued = await issuer.IssueAsync(target.Order, eab, responder, log, ct);
            foreach (var change in await CertificateFiles.WriteAsync(host, target.CertDirectory, issued, ct))
                if (change.Changed) log.Info(change.Summary);
            await storeReady;
            await Store.RecordIssuedAsync(target, issued, clock.GetUtcNow().UtcDateTime, ct);
            return issued;
        }
        catch (AcmeException e)
        {
            await storeReady;
            await Store.RecordFailureAsync(target, e.Message, clock.GetUtcNow().UtcDateTime, CancellationToken.None);
            throw;
        }
    }
}
