namespace ControlPanel.Engine.Acme;

/// <summary>What to ask a CA for: names, account contact, CA, key type and (optionally) a preferred chain by issuer CN.</summary>
public sealed record CertificateOrderSpec(
    IReadOnlyList<string> Domains,
    string? Email,
    AcmeDirectorySettings Directory,
    string KeyType = CertificateKeyType.Ec,
    string? PreferredChain = null);
