using ControlPanel.Engine.Data;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// Uninstall: the certificates this panel issued for the host (their four files and the directories it made),
/// unless data is kept — a kept certificate spares the CA's rate limits on a reinstall. The panel's records of
/// them go too, so renewal stops.
/// </summary>
public sealed class RemoveCertificatesStage(bool keepData) : Stage
{
    public override string Name => "remove-certificates";
    public override string Title => "Remove the certificates issued for this host";

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        if (keepData) return StageCheck.Satisfied(Kept.Message());
        var present = new List<string>();
        foreach (var r in await RecordsAsync(context))
            if (await context.Host.StatAsync(r.CertDirectory, context.Cancellation) is not null) present.Add(r.CertDirectory);
        return present.Count == 0
            ? StageCheck.Satisfied(NoneOfOurs.Message())
            : StageCheck.Needed(Present.With(("directories", string.Join(", ", present))));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var records = await RecordsAsync(context);
        foreach (var r in records)
        {
            foreach (var file in new[] { CertificateFiles.PrivateKey(r.CertDirectory), CertificateFiles.Cert(r.CertDirectory),
                         CertificateFiles.Chain(r.CertDirectory), CertificateFiles.FullChain(r.CertDirectory) })
                await context.DeleteFileAsync(file);
            // The directory and the parents we created (/etc/letsencrypt/live, /etc/letsencrypt) go only when empty.
            await context.RunAsync(new Processes.ProcessSpec(["rmdir", "-p", "--ignore-fail-on-non-empty", "--", r.CertDirectory]) { OkExitCodes = [0, 1] });
        }
        if (context.DryRun) return;
        await using var db = ControlPanelDb.Open(context.DataDirectory);
        db.Certificates.RemoveRange(records);
        await db.SaveChangesAsync(context.Cancellation);
    }

    async Task<List<CertificateRecord>> RecordsAsync(StageContext context)
    {
        // No database yet means no certificate was ever issued from this data directory.
        if (!File.Exists(Path.Combine(context.DataDirectory, "controlpanel.db"))) return [];
        var hostSpec = ManagedCertificate.HostSpecOf(context.Host.Key);
        await using var db = ControlPanelDb.Open(context.DataDirectory);
        return await db.Certificates.Where(c => c.HostSpec == hostSpec).ToListAsync(context.Cancellation);
    }

    static readonly MessageTemplate Kept = new("certificate.kept", "certificates are kept (keep data)");
    static readonly MessageTemplate NoneOfOurs = new("certificate.none-of-ours", "no certificate of ours on this host");
    static readonly MessageTemplate Present = new("certificate.present", "certificates in {directories}");
}
