using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Plans;

/// <summary>
/// Certificate work the panel starts as runs (tracked, logged, resumable like an install):
/// "certificate-issue" takes <see cref="CertificateStage"/>'s inputs; "certificate-renew" takes certificateId.
/// </summary>
public static class CertificatePlans
{
    public const string IssueKind = "certificate-issue";
    public const string RenewKind = RenewCertificateStage.Kind;

    /// <param name="options">The ACME client's timing (tests poll faster).</param>
    /// <param name="time">The clock certificates are judged and recorded by (tests move it).</param>
    public static PlanCatalog AddTo(PlanCatalog catalog, AcmeClientOptions? options = null, TimeProvider? time = null) => catalog
        .Add(IssueKind, _ => new Plan(IssueKind, [new CertificateStage(options, time)]))
        .Add(RenewKind, _ => new Plan(RenewKind, [new RenewCertificateStage(options, time)]));

    /// <summary>The request of a renewal run of one managed certificate.</summary>
    public static PlanRequest Renew(long certificateId) =>
        new(RenewKind, new Dictionary<string, string> { ["certificateId"] = certificateId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            new Dictionary<string, string>());
}
