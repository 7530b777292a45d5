using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Plans;

/// <summary>Certificate work the panel and `cert issue`/`cert renew` start as runs (tracked, logged, resumable like an install).</summary>
public static class CertificatePlans
{
    public const string IssueKind = CertificateIssueRequest.Kind;
    public const string RenewKind = CertificateRenewRequest.Kind;

    /// <param name="options">The ACME client's timing (tests poll faster).</param>
    /// <param name="time">The clock certificates are judged and recorded by (tests move it).</param>
    public static PlanCatalog AddTo(PlanCatalog catalog, AcmeClientOptions? options = null, TimeProvider? time = null) => catalog
        .Add(IssueKind, CertificateIssueRequest.From, r => new Plan(IssueKind, [new CertificateStage(r, options, time)]))
        .Add(RenewKind, CertificateRenewRequest.From, r => new Plan(RenewKind, [new RenewCertificateStage(r, options, time)]));
}
