using ControlPanel.Engine.Data;

namespace ControlPanel.Engine.Acme;

/// <summary>What the dashboard and `cert list` show for a managed certificate.</summary>
public sealed record CertificateStatus(
    long Id, string Domains, string Host, string Directory, string CertDirectory, string State,
    DateTime? NotAfter, DateTime? RenewAt, int? DaysLeft, DateTime? LastIssuedAt, DateTime? LastAttemptAt,
    string? LastError, int FailureCount, DateTime? NextCheckAt)
{
    public static CertificateStatus Of(CertificateRecord r, DateTime now)
    {
        var renewAt = r is { NotBefore: { } nb, NotAfter: { } na } ? RenewalPolicy.RenewAt(nb, na) : (DateTime?)null;
        var state = r.NotAfter is null ? "not issued"
            : r.NotAfter <= now ? "expired"
            : r.LastError is not null ? "failing"
            : now >= renewAt ? "due"
            : "ok";
        var directory = new AcmeDirectorySettings(new Uri(r.DirectoryUrl), null).Display;
        return new CertificateStatus(r.Id, r.Domains, r.HostSpec, directory, r.CertDirectory, state, r.NotAfter, renewAt,
            r.NotAfter is { } end ? (int)Math.Floor((end - now).TotalDays) : null,
            r.LastIssuedAt, r.LastAttemptAt, r.LastError, r.FailureCount, r.NextCheckAt);
    }

    public static async Task<IReadOnlyList<CertificateStatus>> ListAsync(string dataDirectory, DateTime now, CancellationToken ct) =>
        (await new CertificateStore(dataDirectory).ListAsync(ct)).Select(r => Of(r, now)).ToList();
}
