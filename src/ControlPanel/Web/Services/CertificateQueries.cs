using ControlPanel.Engine.Acme;

namespace ControlPanel.Web.Services;

/// <summary>A managed certificate as the certificates page shows it: its status, issuer and ACME account.</summary>
public sealed record CertificateRow(CertificateStatus Status, string? Email, string? Issuer, string DirectoryUrl, string? AccountUrl);

/// <summary>Reads the managed certificates and the ACME accounts they were issued under (nothing is created).</summary>
public sealed class CertificateQueries(PanelSettings settings)
{
    public async Task<IReadOnlyList<CertificateRow>> ListAsync(CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        var accounts = new AccountStore(settings.DataDirectory);
        return (await new CertificateStore(settings.DataDirectory).ListAsync(ct))
            .Select(r => new CertificateRow(CertificateStatus.Of(r, now), r.Email, r.Issuer, r.DirectoryUrl, accounts.FindAccountUrl(new Uri(r.DirectoryUrl))))
            .ToList();
    }
}
