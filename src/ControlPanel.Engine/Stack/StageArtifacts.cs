using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// Artifacts from a stage's point of view: downloaded and verified on the engine's side (so an SSH host needs
/// no route to the mirror), then copied to the host, where their hash is checked again before use.
/// </summary>
public static class StageArtifacts
{
    public const string UnknownUntilDownload = "(sha256 of the verified download)";

    /// <summary>Fetches and verifies all files; the ones waiting for the user's confirmation are reported together.</summary>
    public static async Task<IReadOnlyList<VerifiedFile>> FetchAsync(StageContext context, InstallRequest request, StackServices services, IReadOnlyList<Artifact> artifacts)
    {
        var downloader = services.Downloader(context.DataDirectory);
        if (context.DryRun)
            // A preview downloads nothing: it shows the copy from where the cache will hold the file.
            return artifacts.Select(a => new VerifiedFile(a, downloader.CachePath(a), a.Sha256 ?? UnknownUntilDownload)).ToList();

        var confirmed = new ConfirmedHashes(context.DataDirectory, request.ConfirmHashes);
        var verified = new List<VerifiedFile>();
        var waiting = new List<(Artifact, string, Uri)>();
        foreach (var artifact in artifacts)
        {
            try
            {
                using var downloading = context.WaitingFor($"the download of {artifact.Id}");
                verified.Add(await downloader.FetchAsync(artifact, request.DownloadMirror, confirmed, context.Log.Info, context.Cancellation, context.Progress));
            }
            catch (HashConfirmationRequiredException e)
            {
                waiting.AddRange(e.Files);
            }
        }
        if (waiting.Count > 0) throw new HashConfirmationRequiredException(waiting, confirmed.FilePath);
        return verified;
    }

    /// <summary>Copies a verified file to the host and proves it arrived intact before anything extracts or runs it.</summary>
    public static async Task UploadAsync(StageContext context, VerifiedFile file, string hostPath, string mode)
    {
        FileChange change;
        using (context.WaitingFor($"the copy of {file.Artifact.Id} to {hostPath}"))
            change = await context.Host.UploadAsync(file.LocalPath, hostPath, mode, context.Cancellation);
        if (change.Changed) context.Log.Info(change.Summary);
        if (context.DryRun) return;
        var r = await context.ProbeAsync("sha256sum", "--", hostPath);
        var onHost = r.Stdout.Split(' ', 2)[0];
        if (r.ExitCode != 0 || onHost != file.Sha256)
        {
            await context.DeleteFileAsync(hostPath);
            throw new StageFailedException(CopyDiffers.With(("artifact", file.Artifact.Id), ("actual", onHost), ("expected", file.Sha256)));
        }
    }

    /// <summary>Where a release archive is kept on the host (uninstall lists it to know what it put where).</summary>
    public static string ArchivePath(Artifact artifact) => $"{StackPaths.ArtifactDir}/{artifact.FileName}";

    static readonly MessageTemplate CopyDiffers = new("artifacts.copy-differs", "{artifact}: the copy on the host has sha256 {actual}, expected {expected}; it was deleted");
}
