namespace ControlPanel.Engine.Data;

/// <summary>
/// A certificate the panel manages: how to issue it again (names, CA, challenge, files) and how it is doing
/// (expiry, last renewal, last error, next check) for the renewal job and the dashboard.
/// </summary>
public sealed class CertificateRecord
{
    public long Id { get; set; }
    public required string HostSpec { get; set; }
    public required string CertDirectory { get; set; }
    /// <summary>Comma-separated, first one is the subject.</summary>
    public required string Domains { get; set; }
    public string? Email { get; set; }
    public required string DirectoryUrl { get; set; }
    public string? DirectoryCaFile { get; set; }
    public required string KeyType { get; set; }
    public string? PreferredChain { get; set; }
    public required string ChallengeMode { get; set; }
    public int HttpPort { get; set; }
    public required string Webroot { get; set; }
    public required string ListenAddress { get; set; }
    public DateTime? NotBefore { get; set; }
    public DateTime? NotAfter { get; set; }
    public string? Serial { get; set; }
    public string? Issuer { get; set; }
    public DateTime? LastIssuedAt { get; set; }
    public DateTime? LastAttemptAt { get; set; }
    /// <summary>The last failure as the CA (or the network) worded it; null after a success.</summary>
    public string? LastError { get; set; }
    public int FailureCount { get; set; }
    public DateTime? NextCheckAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> DomainList => Domains.Split(',');
}
