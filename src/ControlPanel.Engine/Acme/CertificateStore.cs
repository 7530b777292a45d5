using ControlPanel.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Acme;

/// <summary>The managed certificates in the panel's database: what was issued where, and how renewal goes.</summary>
public sealed class CertificateStore(string dataDirectory)
{
    public async Task<List<CertificateRecord>> ListAsync(CancellationToken ct)
    {
        await using var db = Open();
        return await db.Certificates.AsNoTracking().OrderBy(c => c.Domains).ThenBy(c => c.Id).ToListAsync(ct);
    }

    public async Task<CertificateRecord?> FindAsync(long id, CancellationToken ct)
    {
        await using var db = Open();
        return await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
    }

    /// <summary>Migrates and warms the database up (model, first query) in the background.</summary>
    public Task PrepareAsync(CancellationToken ct) => Task.Run(async () =>
    {
        await using var db = Open();
        await db.Certificates.AsNoTracking().AnyAsync(c => c.HostSpec == "", ct);
    }, ct);

    /// <summary>Stores (or updates) the certificate's recipe and marks it issued now.</summary>
    public async Task<CertificateRecord> RecordIssuedAsync(ManagedCertificate target, IssuedCertificate issued, DateTime now, CancellationToken ct)
    {
        await using var db = Open();
        var record = await FindOrAdd(db, target, now, ct);
        record.NotBefore = issued.NotBefore;
        record.NotAfter = issued.NotAfter;
        record.Serial = issued.Leaf.SerialNumber;
        record.Issuer = issued.Leaf.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, forIssuer: true);
        record.LastIssuedAt = now;
        record.LastAttemptAt = now;
        record.LastError = null;
        record.FailureCount = 0;
        record.NextCheckAt = now + RenewalPolicy.CheckInterval;
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>Records a failed attempt with the CA's words and schedules the next one with backoff.</summary>
    public async Task<CertificateRecord> RecordFailureAsync(ManagedCertificate target, string error, DateTime now, CancellationToken ct)
    {
        await using var db = Open();
        var record = await FindOrAdd(db, target, now, ct);
        record.LastAttemptAt = now;
        record.LastError = error;
        record.FailureCount++;
        record.NextCheckAt = now + RenewalPolicy.RetryDelay(record.FailureCount);
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>A check found the certificate fine: look again after the check interval.</summary>
    public async Task RecordCheckedAsync(long id, InstalledCertificate installed, DateTime now, CancellationToken ct)
    {
        await using var db = Open();
        var record = await db.Certificates.SingleAsync(c => c.Id == id, ct);
        record.NotBefore = installed.NotBefore;
        record.NotAfter = installed.NotAfter;
        record.Serial = installed.Leaf.SerialNumber;
        record.NextCheckAt = now + RenewalPolicy.CheckInterval;
        await db.SaveChangesAsync(ct);
    }

    static async Task<CertificateRecord> FindOrAdd(ControlPanelDb db, ManagedCertificate t, DateTime now, CancellationToken ct)
    {
        var record = await db.Certificates.SingleOrDefaultAsync(c => c.HostSpec == t.HostSpec && c.CertDirectory == t.CertDirectory, ct);
        if (record is null)
        {
            record = new CertificateRecord
            {
                HostSpec = t.HostSpec, CertDirectory = t.CertDirectory, Domains = "", DirectoryUrl = "", KeyType = "",
                ChallengeMode = "", Webroot = "", ListenAddress = "", CreatedAt = now,
            };
            db.Certificates.Add(record);
        }
        // The latest request is the recipe for renewals.
        record.Domains = string.Join(",", t.Order.Domains);
        record.Email = t.Order.Email;
        record.DirectoryUrl = t.Order.Directory.Url.ToString();
        record.DirectoryCaFile = t.Order.Directory.CaBundleFile;
        record.KeyType = t.Order.KeyType;
        record.PreferredChain = t.Order.PreferredChain;
        record.ChallengeMode = t.Challenge.Mode;
        record.HttpPort = t.Challenge.HttpPort;
        record.Webroot = t.Challenge.Webroot;
        record.ListenAddress = t.Challenge.ListenAddress;
        return record;
    }

    ControlPanelDb Open()
    {
        Migrated.GetOrAdd(dataDirectory, d => { ControlPanelDb.Migrate(d); return true; });
        return ControlPanelDb.Open(dataDirectory);
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Migrated = new();
}
