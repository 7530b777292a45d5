using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Jobs;

/// <summary>
/// A renewal pass: the certificates that need it are renewed one run each (<see cref="CertificatePlans.RenewKind"/>),
/// under their host's lock like any run, logged and shown with the others; the rest get their check recorded. The
/// panel's daily recurring job and `controlpanel cert renew` both do this.
/// </summary>
public sealed class CertificateRenewals(RunEngine engine, IHostFactory hosts, TimeProvider? time = null)
{
    public async Task<IReadOnlyList<RenewalOutcome>> RunAsync(bool force, bool all, string requestedBy, CancellationToken ct)
    {
        var data = engine.Options.DataDirectory;
        var outcomes = new List<RenewalOutcome>();
        foreach (var check in await new CertificateRenewer(data, hosts, time).CheckAsync(force, all, ct))
        {
            var record = check.Record;
            if (check.Settled is { } settled) { outcomes.Add(settled); continue; }
            RunHandle handle;
            RunState state;
            try
            {
                handle = await engine.StartAsync(new CertificateRenewRequest(record.Id), record.HostSpec, requestedBy);
                state = await handle.Completion.WaitAsync(ct);
            }
            catch (HostBusyException e)
            {
                // Another run owns the host now; the next pass tries again (the record's next check is unchanged).
                outcomes.Add(new(record.Id, record.Domains, RenewalResult.Waiting, e.Message));
                continue;
            }
            var after = await new CertificateStore(data).FindAsync(record.Id, ct);
            outcomes.Add(state == RunState.Succeeded
                ? new(record.Id, record.Domains, RenewalResult.Renewed, $"valid until {after?.NotAfter:u} ({check.Reason})")
                : new(record.Id, record.Domains, RenewalResult.Failed, await engine.FailureOfAsync(handle.RunId) ?? $"the renewal run ended {state}"));
        }
        return outcomes;
    }
}
