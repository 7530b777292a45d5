using ControlPanel.Engine.Data;

namespace ControlPanel.Engine.Acme;

/// <summary>Everything needed to issue (and later renew) one certificate onto one host.</summary>
public sealed record ManagedCertificate(string HostSpec, string CertDirectory, CertificateOrderSpec Order, ChallengeSettings Challenge)
{
    /// <summary>A stored certificate's recipe, to issue it again.</summary>
    public static ManagedCertificate Of(CertificateRecord record) => new(record.HostSpec, record.CertDirectory,
        new CertificateOrderSpec(record.DomainList, record.Email, new AcmeDirectorySettings(new Uri(record.DirectoryUrl), record.DirectoryCaFile), record.KeyType, record.PreferredChain),
        new ChallengeSettings(record.ChallengeMode, record.HttpPort, record.Webroot, record.ListenAddress));

    /// <summary>A host's key ("local", "ssh:user@addr:port") back to the spec its factory takes.</summary>
    public static string HostSpecOf(string hostKey) =>
        hostKey.StartsWith("ssh:", StringComparison.Ordinal) ? "ssh://" + hostKey["ssh:".Length..] : hostKey;
}
