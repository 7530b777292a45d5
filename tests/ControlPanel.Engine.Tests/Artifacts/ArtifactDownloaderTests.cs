using System.Security.Cryptography;
using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.Stages;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Artifacts;

/// <summary>Downloads against a real HTTP server on loopback that drops, truncates and corrupts on request.</summary>
public sealed class ArtifactDownloaderTests : IAsyncLifetime
{
    readonly LoopbackFileServer server = new();
    readonly string data = Directory.CreateTempSubdirectory("cp-dl-").FullName;
    readonly byte[] content = RandomNumberGenerator.GetBytes(300_000);
    readonly List<string> log = new();
    string Hash => Convert.ToHexStringLower(SHA256.HashData(content));

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    Artifact Make(string? sha256, string? checksumFile = null) => new("tool", "1.0", "tool.tgz",
        new Uri(server.BaseUrl, "up/1.0/tool.tgz"), "mirror/1.0/tool.tgz", sha256, checksumFile,
        server.BaseUrl + "up/{version}/{file}", "mirror/{version}/{file}");

    ArtifactDownloader Downloader(int attempts = 3) => new(data, new HttpClient()) { AttemptsPerSource = attempts, StallTimeout = TimeSpan.FromSeconds(5) };
    ConfirmedHashes Confirmed(params string[] given) => new(data, given);

    Task<VerifiedFile> Fetch(Artifact a, Uri? mirror = null, ConfirmedHashes? confirmed = null, int attempts = 3) =>
        Downloader(attempts).FetchAsync(a, mirror, confirmed ?? Confirmed(), log.Add, CancellationToken.None);

    [Fact]
    public async Task A_slow_transfer_reports_its_bytes_rate_and_time_left_as_it_goes()
    {
        server.Add("up/1.0/tool.tgz", content);
        server.Inject("up/1.0/tool.tgz", new Fault.Slow(100_000));
        var progress = new List<string>();
        var file = await new ArtifactDownloader(data, new HttpClient()) { ProgressInterval = TimeSpan.FromMilliseconds(500) }
            .FetchAsync(Make(Hash), null, Confirmed(), log.Add, CancellationToken.None, progress.Add);

        Assert.Equal(Hash, file.Sha256);
        // 300 kB at up to 100 kB/s, told every half second: several reports, each further on than the one before.
        Assert.True(progress.Count >= 3, string.Join("\n", progress));
        var reports = progress.Select(p => System.Text.RegularExpressions.Regex.Match(p,
            @"^tool/1\.0/tool\.tgz: (\d+) kB of 300 kB \((\d+)%\), (\d+) kB/s, (\d+) s left$")).ToList();
        Assert.All(reports, m => Assert.True(m.Success, string.Join("\n", progress)));
        var done = reports.Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(done.Order(), done);
        Assert.True(done[^1] > done[0], string.Join("\n", progress));
        Assert.All(reports, m => Assert.Equal(int.Parse(m.Groups[1].Value) / 3, int.Parse(m.Groups[2].Value), tolerance: 1));
        // The time left is what is left at the rate so far.
        Assert.All(reports, m => Assert.Equal((300 - int.Parse(m.Groups[1].Value)) / (double)int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value), tolerance: 1.5));
        Assert.All(reports, m => Assert.InRange(int.Parse(m.Groups[3].Value), 5, 150)); // the first tenth goes out at once
    }

    [Fact]
    public async Task Resumes_with_a_range_request_after_the_connection_drops()
    {
        server.Add("up/1.0/tool.tgz", content);
        server.Inject("up/1.0/tool.tgz", new Fault.DropAfter(100_000));
        var file = await Fetch(Make(Hash));

        Assert.Equal(Hash, file.Sha256);
        Assert.Equal(content, await File.ReadAllBytesAsync(file.LocalPath));
        var gets = server.Requests.Where(r => r.Path == "/up/1.0/tool.tgz").ToList();
        Assert.Equal(2, gets.Count);
        Assert.Null(gets[0].Range);
        var resumedAt = long.Parse(gets[1].Range!["bytes=".Length..^1]);
        Assert.InRange(resumedAt, 1, content.Length - 1);
    }

    [Fact]
    public async Task A_partial_file_left_by_an_earlier_run_is_resumed_by_the_next()
    {
        server.Add("up/1.0/tool.tgz", content);
        server.Inject("up/1.0/tool.tgz", new Fault.DropAfter(120_000));
        var first = await Assert.ThrowsAsync<TransientStageException>(() => Fetch(Make(Hash), attempts: 1));
        Assert.Contains("could not download", first.Message);
        Assert.True(File.Exists(Downloader().CachePath(Make(Hash)) + ".part"));

        var file = await Fetch(Make(Hash));
        Assert.Equal(Hash, file.Sha256);
        Assert.StartsWith("bytes=", server.Requests.Last().Range);
    }

    [Fact]
    public async Task A_truncated_file_fails_with_both_hashes_and_is_deleted()
    {
        server.Add("up/1.0/tool.tgz", content);
        server.Inject("up/1.0/tool.tgz", new Fault.Truncate(1000));
        var e = await Assert.ThrowsAsync<StageFailedException>(() => Fetch(Make(Hash)));

        var truncatedHash = Convert.ToHexStringLower(SHA256.HashData(content[..1000]));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Contains(Hash, e.Message);
        Assert.Contains(truncatedHash, e.Message);
        AssertNothingCached(Make(Hash));
    }

    [Fact]
    public async Task A_corrupted_file_fails_with_both_hashes_and_is_deleted()
    {
        server.Add("up/1.0/tool.tgz", content);
        server.Inject("up/1.0/tool.tgz", new Fault.Corrupt(4242));
        var e = await Assert.ThrowsAsync<StageFailedException>(() => Fetch(Make(Hash)));

        var damaged = (byte[])content.Clone();
        damaged[4242] ^= 0xff;
        Assert.Contains(Hash, e.Message);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(damaged)), e.Message);
        AssertNothingCached(Make(Hash));
    }

    [Fact]
    public async Task The_mirror_is_tried_first_and_upstream_when_the_mirror_lacks_the_file()
    {
        server.Add("up/1.0/tool.tgz", content);
        var mirror = new Uri(server.BaseUrl, "panel-mirror/");
        var file = await Fetch(Make(Hash), mirror);

        Assert.Equal(Hash, file.Sha256);
        Assert.Equal(["/panel-mirror/mirror/1.0/tool.tgz", "/up/1.0/tool.tgz"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_mirror_that_has_the_file_is_used_and_upstream_is_not_asked()
    {
        server.Add("panel-mirror/mirror/1.0/tool.tgz", content);
        var file = await Fetch(Make(Hash), new Uri(server.BaseUrl, "panel-mirror"));

        Assert.Equal(Hash, file.Sha256);
        Assert.DoesNotContain(server.Requests, r => r.Path.StartsWith("/up/"));
    }

    [Fact]
    public async Task A_failing_mirror_falls_back_to_upstream()
    {
        server.Add("panel-mirror/mirror/1.0/tool.tgz", content);
        server.Inject("panel-mirror/mirror/1.0/tool.tgz", new Fault.Status(503));
        server.Add("up/1.0/tool.tgz", content);
        var file = await Fetch(Make(Hash), new Uri(server.BaseUrl, "panel-mirror/"));
        Assert.Equal(Hash, file.Sha256);
        Assert.Contains(server.Requests, r => r.Path == "/up/1.0/tool.tgz");
    }

    [Fact]
    public async Task No_source_with_the_file_fails_naming_every_url_tried()
    {
        var e = await Assert.ThrowsAsync<StageFailedException>(() => Fetch(Make(Hash), new Uri(server.BaseUrl, "m/")));
        Assert.IsNotType<TransientStageException>(e);
        Assert.Contains("/m/mirror/1.0/tool.tgz: HTTP 404", e.Message);
        Assert.Contains("/up/1.0/tool.tgz: HTTP 404", e.Message);
    }

    [Fact]
    public async Task A_verified_cached_file_is_used_without_asking_the_network()
    {
        server.Add("up/1.0/tool.tgz", content);
        await Fetch(Make(Hash));
        var before = server.Requests.Count;
        var again = await Fetch(Make(Hash));
        Assert.Equal(Hash, again.Sha256);
        Assert.Equal(before, server.Requests.Count);
    }

    [Fact]
    public async Task A_cached_file_damaged_on_disk_is_downloaded_again()
    {
        server.Add("up/1.0/tool.tgz", content);
        var file = await Fetch(Make(Hash));
        await File.WriteAllBytesAsync(file.LocalPath, [1, 2, 3]);
        var again = await Fetch(Make(Hash));
        Assert.Equal(content, await File.ReadAllBytesAsync(again.LocalPath));
        Assert.Contains(log, l => l.Contains("cached copy has sha256"));
    }

    [Fact]
    public async Task The_expected_hash_comes_from_the_checksum_file_beside_the_artifact()
    {
        server.Add("up/1.0/tool.tgz", content);
        server.Add("up/1.0/tool.tgz.sha256sum", System.Text.Encoding.ASCII.GetBytes($"{Hash}  tool.tgz\n"));
        var file = await Fetch(Make(null, "tool.tgz.sha256sum"));
        Assert.Equal(Hash, file.Sha256);

        // A checksum file that disagrees with the tarball stops the download.
        Directory.Delete(Path.Combine(data, "cache"), recursive: true);
        server.Add("up/1.0/tool.tgz.sha256sum", System.Text.Encoding.ASCII.GetBytes($"{new string('0', 64)}  tool.tgz\n"));
        var e = await Assert.ThrowsAsync<StageFailedException>(() => Fetch(Make(null, "tool.tgz.sha256sum")));
        Assert.Contains(new string('0', 64), e.Message);
        Assert.Contains(Hash, e.Message);
    }

    [Fact]
    public async Task Without_an_official_checksum_the_user_confirms_the_hash_shown_and_nothing_is_usable_before()
    {
        server.Add("up/1.0/tool.tgz", content);
        var artifact = Make(null);
        var e = await Assert.ThrowsAsync<HashConfirmationRequiredException>(() => Fetch(artifact));
        Assert.Contains(Hash, e.Message);
        Assert.Contains("--confirm-hash " + Hash, e.Message);
        Assert.Contains("confirmed-hashes", e.Message);
        Assert.False(File.Exists(Downloader().CachePath(artifact)), "an unconfirmed file must not be where verified files are");

        // A wrong confirmation does not unlock it.
        await Assert.ThrowsAsync<HashConfirmationRequiredException>(() => Fetch(artifact, confirmed: Confirmed(new string('1', 64))));

        var requests = server.Requests.Count;
        var file = await Fetch(artifact, confirmed: Confirmed(Hash));
        Assert.Equal(Hash, file.Sha256);
        Assert.Equal(requests, server.Requests.Count);
        Assert.Contains($"{Hash}  tool/1.0/tool.tgz", await File.ReadAllTextAsync(Confirmed().FilePath));

        // Recorded: later runs (and resumes) need no flag.
        Assert.Equal(Hash, (await Fetch(artifact)).Sha256);
    }

    void AssertNothingCached(Artifact a)
    {
        var path = Downloader().CachePath(a);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".part"));
    }
}
