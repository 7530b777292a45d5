using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// Certificate work the panel starts as runs (tracked, logged, resumable like an install):
/// "certificate-issue" takes <see cref="CertificateStage"/>'s inputs; "certificate-renew" takes certificateId.
/// </summary>
public static class CertificatePlans
{
    public const string IssueKind = "certificate-issue";
    public const string RenewKind = RenewCertificateStage.Kind;

    public static PlanCatalog AddTo(PlanCatalog catalog) => catalog
        .Add(IssueKind, _ => new Plan(IssueKind, [new CertificateStage()]))
        .Add(RenewKind, _ => new Plan(RenewKind, [new RenewCertificateStage()]));
}
