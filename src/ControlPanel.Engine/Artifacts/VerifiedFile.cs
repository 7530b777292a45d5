namespace ControlPanel.Engine.Artifacts;

/// <summary>An artifact in the local cache whose sha256 matched its pin, its checksum file or the user's confirmation.</summary>
public sealed record VerifiedFile(Artifact Artifact, string LocalPath, string Sha256);

/// <summary>Downloaded files that have no official checksum and whose hash the user has not confirmed yet.</summary>
public sealed class HashConfirmationRequiredException(IReadOnlyList<(Artifact Artifact, string Sha256, Uri Source)> files, string confirmedHashesFile)
    : Stages.StageFailedException(Describe(files, confirmedHashesFile))
{
    public IReadOnlyList<(Artifact Artifact, string Sha256, Uri Source)> Files { get; } = files;

    static string Describe(IReadOnlyList<(Artifact Artifact, string Sha256, Uri Source)> files, string confirmedHashesFile)
    {
        var lines = files.Select(f => $"  {f.Sha256}  {f.Artifact.Id}   (from {f.Source})");
        return "these files have no official checksum, so nothing was extracted or run; check each hash against a copy you trust:\n"
            + string.Join('\n', lines) + "\n"
            + "then confirm them: run the install again with "
            + string.Join(' ', files.Select(f => "--confirm-hash " + f.Sha256))
            + $", or add the lines above (hash, two spaces, name) to {confirmedHashesFile}";
    }
}
