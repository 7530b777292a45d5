using System.Net.Http.Headers;
using System.Net;
using System.Security.Cryptography;
using ControlPanel.Engine.Files;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Artifacts;

/// <summary>
/// Fetches release files into DATA/cache/artifacts and proves them before anyone uses them. Sources are
/// tried in order: the cache, the download mirror (panel.sh's MIRROR_PATH), upstream. A broken transfer
/// resumes with an HTTP Range request; a file whose sha256 does not match is deleted and the stage fails
/// with both hashes. Files without an official checksum wait, unused, until the user confirms their hash.
/// </summary>
public sealed class ArtifactDownloader(string dataDirectory, HttpClient http)
{
    /// <summary>Attempts per source for one file: each resumes where the last one stopped.</summary>
    public int AttemptsPerSource { get; init; } = 3;
    /// <summary>A transfer that delivers nothing for this long counts as dropped.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>How often a transfer reports its bytes, rate and time left.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(2);

    public string CacheRoot => Path.Combine(dataDirectory, "cache", "artifacts");
    public string CachePath(Artifact a) => Path.Combine(CacheRoot, a.Component, a.Version, a.File);

    /// <param name="progress">Told a transfer's bytes, rate and time left every <see cref="ProgressInterval"/> while it runs.</param>
    public async Task<VerifiedFile> FetchAsync(Artifact artifact, Uri? mirror, ConfirmedHashes confirmed, Action<string> log, CancellationToken ct,
        Action<string>? progress = null)
    {
        var path = CachePath(artifact);
        var expected = await ExpectedHashAsync(artifact, mirror, log, ct);

        if (File.Exists(path))
        {
            var cached = await HashAsync(path, ct);
            if (cached == expected || (expected is null && confirmed.IsConfirmed(artifact.Id, cached)))
                return new VerifiedFile(artifact, path, cached);
            log($"{artifact.Id}: cached copy has sha256 {cached}, expected {expected ?? "a confirmed hash"}; deleted, downloading again");
            File.Delete(path);
        }

        var unconfirmed = path + ".unconfirmed";
        if (expected is null && File.Exists(unconfirmed))
            return await Confirm(artifact, unconfirmed, path, await ReadSource(unconfirmed), confirmed, ct);

        var part = path + ".part";
        var source = await DownloadAsync(artifact, Sources(artifact, mirror), part, log, ct, progress);
        var actual = await HashAsync(part, ct);
        if (expected is not null)
        {
            if (actual != expected)
            {
                File.Delete(part);
                throw new StageFailedException(ChecksumMismatch.With(("artifact", artifact.Id), ("expected", expected), ("actual", actual), ("source", source)));
            }
            File.Move(part, path, overwrite: true);
            log($"{artifact.Id}: sha256 {actual} verified ({artifact.Trust})");
            return new VerifiedFile(artifact, path, actual);
        }
        File.Move(part, unconfirmed, overwrite: true);
        AtomicFile.Write(unconfirmed + ".source", source.AbsoluteUri, AtomicFile.Private);
        return await Confirm(artifact, unconfirmed, path, source, confirmed, ct);
    }

    async Task<VerifiedFile> Confirm(Artifact artifact, string unconfirmed, string path, Uri source, ConfirmedHashes confirmed, CancellationToken ct)
    {
        var hash = await HashAsync(unconfirmed, ct);
        if (!confirmed.IsConfirmed(artifact.Id, hash))
            throw new HashConfirmationRequiredException([(artifact, hash, source)], confirmed.FilePath);
        File.Move(unconfirmed, path, overwrite: true);
        File.Delete(unconfirmed + ".source");
        return new VerifiedFile(artifact, path, hash);
    }

    static async Task<Uri> ReadSource(string unconfirmed) =>
        File.Exists(unconfirmed + ".source") ? new Uri((await File.ReadAllTextAsync(unconfirmed + ".source")).Trim()) : new Uri("file://" + unconfirmed);

    /// <summary>The pinned hash, the one in the published checksum file (cached beside the file), or null when the user must confirm.</summary>
    async Task<string?> ExpectedHashAsync(Artifact artifact, Uri? mirror, Action<string> log, CancellationToken ct)
    {
        if (artifact.Sha256 is not null) return artifact.Sha256;
        if (artifact.ChecksumFile is null) return null;
        var cached = CachePath(artifact) + ".sha256";
        if (File.Exists(cached)) return (await File.ReadAllTextAsync(cached, ct)).Trim();

        var sources = (mirror is null ? [] : new[] { artifact.ChecksumUrl(mirror) }).Append(artifact.ChecksumUrl(null)).ToList();
        var part = cached + ".download";
        var source = await DownloadAsync(artifact, sources, part, log, ct);
        var text = await File.ReadAllTextAsync(part, ct);
        File.Delete(part);
        var hash = ChecksumFile.Find(text, artifact.FileName)
            ?? throw new StageFailedException(NotListed.With(("artifact", artifact.Id), ("source", source), ("file", artifact.FileName)));
        AtomicFile.Write(cached, hash + "\n", AtomicFile.Public);
        log($"{artifact.Id}: expected sha256 {hash} (from {source})");
        return hash;
    }

    static List<Uri> Sources(Artifact artifact, Uri? mirror) =>
        mirror is null ? [artifact.Upstream] : [artifact.MirrorUrl(mirror), artifact.Upstream];

    /// <summary>Tries each source in turn until one delivers the whole file into <paramref name="part"/>; returns that source.</summary>
    async Task<Uri> DownloadAsync(Artifact artifact, IReadOnlyList<Uri> sources, string part, Action<string> log, CancellationToken ct,
        Action<string>? progress = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(part)!);
        var failures = new List<string>();
        var allTransient = true;
        foreach (var url in sources)
        {
            // A partial file is only resumed from the source that started it.
            var sourceFile = part + ".from";
            if (File.Exists(part) && (!File.Exists(sourceFile) || File.ReadAllText(sourceFile).Trim() != url.AbsoluteUri))
                File.Delete(part);
            AtomicFile.Write(sourceFile, url.AbsoluteUri, AtomicFile.Private);

            for (var attempt = 1; attempt <= AttemptsPerSource; attempt++)
            {
                try
                {
                    await TransferAsync(artifact, url, part, log, progress, ct);
                    File.Delete(sourceFile);
                    return url;
                }
                catch (HttpStatusException e)
                {
                    failures.Add($"{url}: HTTP {(int)e.Status} {e.Status}");
                    allTransient &= (int)e.Status >= 500;
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException
                                          || (e is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    var have = File.Exists(part) ? new FileInfo(part).Length : 0;
                    log($"{artifact.Id}: transfer from {url} broke after {have} bytes ({e.Message}); attempt {attempt} of {AttemptsPerSource}");
                    if (attempt == AttemptsPerSource) failures.Add($"{url}: {e.Message}");
                }
            }
        }
        var failed = string.Join("\n  ", failures);
        // Network trouble is worth another attempt later (the partial file is kept and resumed); a missing file is not.
        throw allTransient
            ? new TransientStageException(DownloadFailed.With(("artifact", artifact.Id), ("failures", failed)))
            : new StageFailedException(DownloadFailedLayout.With(("artifact", artifact.Id), ("failures", failed)));
    }

    async Task TransferAsync(Artifact artifact, Uri url, string part, Action<string> log, Action<string>? progress, CancellationToken ct)
    {
        var offset = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
        {
            // The part already holds the whole file; the hash check decides whether it is the right one.
            if (response.Content.Headers.ContentRange?.Length == offset) return;
            File.Delete(part);
            throw new IOException("the server refused to resume; starting over");
        }
        if (!response.IsSuccessStatusCode) throw new HttpStatusException(response.StatusCode);

        var append = response.StatusCode == HttpStatusCode.PartialContent;
        if (append && response.Content.Headers.ContentRange?.From != offset)
            throw new IOException($"the server resumed at {response.Content.Headers.ContentRange?.From}, not at {offset}");
        if (offset > 0) log(append ? $"resuming {url} at byte {offset}" : $"{url} does not support resuming; starting over");

        await using var input = await response.Content.ReadAsStreamAsync(ct);
        await using var output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write);
        var buffer = new byte[81920];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var startedAt = append ? offset : 0;
        var total = response.Content.Headers.ContentLength is { } length ? startedAt + length : (long?)null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reported = TimeSpan.Zero;
        while (true)
        {
            stall.CancelAfter(StallTimeout);
            var n = await input.ReadAsync(buffer, stall.Token);
            if (n == 0) break;
            await output.WriteAsync(buffer.AsMemory(0, n), ct);
            if (progress is not null && clock.Elapsed - reported >= ProgressInterval)
            {
                reported = clock.Elapsed;
                progress(TransferProgress.Describe(artifact.Id, output.Length, total, (output.Length - startedAt) / reported.TotalSeconds));
            }
        }
        await output.FlushAsync(ct);
        if (total is { } whole && output.Length != whole)
            throw new IOException($"connection closed after {output.Length} of {whole} bytes");
    }

    public static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    sealed class HttpStatusException(HttpStatusCode status) : Exception($"HTTP {(int)status}")
    {
        public HttpStatusCode Status { get; } = status;
    }

    static readonly MessageTemplate ChecksumMismatch = new("artifacts.checksum-mismatch",
        "{artifact}: checksum mismatch: expected sha256 {expected}, got {actual} (downloaded from {source}); the file was deleted. " +
        "The source serves a different or damaged file: fix or drop the mirror (--download-mirror) and run again.");
    static readonly MessageTemplate NotListed = new("artifacts.not-listed", "{artifact}: the checksum file {source} does not list {file}");
    static readonly MessageTemplate DownloadFailed = new("artifacts.download-failed", "{artifact}: could not download from any source:\n  {failures}");
    static readonly MessageTemplate DownloadFailedLayout = new("artifacts.download-failed-layout",
        "{artifact}: could not download from any source:\n  {failures}\nCheck the mirror's layout (--download-mirror) or the manifest.");
}
