namespace ControlPanel.Engine.Artifacts;

/// <summary>How a downloaded file is proven to be the release's own.</summary>
public enum ArtifactTrust
{
    /// <summary>The manifest pins its sha256.</summary>
    Pinned,
    /// <summary>The release publishes a checksum file beside it; it is fetched and its hash used.</summary>
    ChecksumFile,
    /// <summary>No checksum exists upstream: the user confirms the hash shown after the first download.</summary>
    UserConfirmed,
}

/// <summary>One release file of one component version, resolved for one architecture.</summary>
public sealed record Artifact(string Component, string Version, string File, Uri Upstream, string MirrorPath, string? Sha256, string? ChecksumFile, string UpstreamPattern, string MirrorPattern)
{
    public ArtifactTrust Trust => Sha256 is not null ? ArtifactTrust.Pinned
        : ChecksumFile is not null ? ArtifactTrust.ChecksumFile
        : ArtifactTrust.UserConfirmed;

    /// <summary>Stable name used in the cache, in confirmations and in messages: component/version/file.</summary>
    public string Id => $"{Component}/{Version}/{File}";

    /// <summary>The file's name without any folder (hack/faasd.service -> faasd.service).</summary>
    public string FileName => File[(File.LastIndexOf('/') + 1)..];

    public Uri MirrorUrl(Uri mirrorBase) => new(WithSlash(mirrorBase), MirrorPath);

    /// <summary>Where the checksum file is, for a source base (null: upstream).</summary>
    public Uri ChecksumUrl(Uri? mirrorBase) => mirrorBase is null
        ? new Uri(ArtifactManifest.Expand(UpstreamPattern, Version, ChecksumFile!))
        : new Uri(WithSlash(mirrorBase), ArtifactManifest.Expand(MirrorPattern, Version, ChecksumFile!));

    static Uri WithSlash(Uri u) => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");
}
