using ControlPanel.Engine.Data;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// "Renew now" for one managed certificate (input certificateId): issued again from its stored recipe whatever
/// its expiry, since the user asked, then nginx reloaded if it runs there. The renewal job does the due ones.
/// </summary>
public sealed class RenewCertificateStage(CertificateRenewRequest request, AcmeClientOptions? options = null, TimeProvider? time = null) : Stage
{
    static readonly MessageTemplate NotManaged = new("input.not-managed-certificate", "is not a managed certificate");

    public override string Name => CertificateRenewRequest.Kind;
    public override string Title => "Renew the TLS certificate now (ACME)";
    public override int MaxAttempts => 2;

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var record = await RecordAsync(context);
        return StageCheck.Needed(Asked.With(("domains", record.Domains)));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var record = await RecordAsync(context);
        if (context.DryRun)
        {
            context.Log.Info($"would ask {ManagedCertificate.Of(record).Order.Directory.Display} for {record.Domains} and replace the files in {record.CertDirectory}");
            return;
        }
        await CertificateStage.IssueAsync(context, ManagedCertificate.Of(record), eab: null, options, time ?? TimeProvider.System);
        await CertificateRenewer.ReloadNginxAsync(context.Host, context.Log, context.Cancellation);
    }

    /// <summary>The new files are in place: the key matches and every name is covered.</summary>
    public override async Task VerifyAsync(StageContext context)
    {
        var record = await RecordAsync(context);
        var installed = await CertificateFiles.ReadAsync(context.Host, record.CertDirectory, context.Cancellation);
        if (installed is null || !installed.KeyMatches || record.DomainList.Except(installed.Names).Any())
            throw new StageFailedException(NotRenewed.With(("directory", record.CertDirectory), ("domains", record.Domains)));
    }

    async Task<CertificateRecord> RecordAsync(StageContext context) =>
        await new CertificateStore(context.DataDirectory).FindAsync(request.CertificateId, context.Cancellation)
        ?? throw new InputException("certificateId", request.CertificateId.ToString(System.Globalization.CultureInfo.InvariantCulture), NotManaged.Message());

    static readonly MessageTemplate Asked = new("certificate.renewal-asked", "renewal of {domains} asked");

    static readonly MessageTemplate NotRenewed = new("certificate.not-renewed", "{directory} does not hold a certificate for {domains} with its key after renewal");
}
