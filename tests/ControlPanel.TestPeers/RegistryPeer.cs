using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.TestPeers;

/// <summary>
/// Debian's docker-registry (the distribution registry) run directly on a loopback port with a config file and
/// storage in a private temp folder: no service, no /etc, nothing of this machine touched. Its log is kept.
/// </summary>
public sealed class RegistryPeer : IAsyncDisposable
{
    readonly Process process;
    readonly StringBuilder log = new();

    RegistryPeer(Process process, int port, string storage)
    {
        this.process = process;
        Port = port;
        Storage = storage;
    }

    public int Port { get; }
    public string Storage { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string Log { get { lock (log) return log.ToString(); } }

    /// <summary>Waits for an access-log line: the registry writes it around the response, read here from its output a moment later.</summary>
    public async Task WaitForLogAsync(string text, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!Log.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the registry on port {Port} logged no \"{text}\" within {seconds} s; its log:\n{Log}");
            await Task.Delay(100);
        }
    }
    public bool Running => !process.HasExited;

    /// <summary>A plain registry (push and pull) with the default config.</summary>
    public static Task<RegistryPeer> StartPlainAsync(string dir)
    {
        var port = LoopbackPorts.Tcp();
        var storage = Path.Combine(dir, "storage");
        return StartAsync(dir, port, storage, $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: "{storage}"
            http:
              addr: "127.0.0.1:{port}"
            """);
    }

    /// <summary>Runs the registry with a config the caller renders for the port and storage it is given.</summary>
    public static async Task<RegistryPeer> StartAsync(string dir, int port, string storage, string config)
    {
        Directory.CreateDirectory(storage);
        var file = Path.Combine(dir, $"config-{port}.yml");
        await File.WriteAllTextAsync(file, config);
        var psi = new ProcessStartInfo("/usr/bin/docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(file);
        var p = Process.Start(psi)!;
        var peer = new RegistryPeer(p, port, storage);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (peer.log) peer.log.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (peer.log) peer.log.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        await LoopbackPorts.WaitListeningAsync(port, TimeSpan.FromSeconds(20), () => p.HasExited);
        if (p.HasExited) throw new InvalidOperationException("docker-registry exited:\n" + peer.Log);
        return peer;
    }

    public async Task StopAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }
}

/// <summary>
/// A small image built here (one layer holding one text file; nothing downloaded) and the registry API calls that
/// push it and pull it back, verifying every digest. Docker Hub cannot be reached from the test machines.
/// </summary>
public sealed record TestImage(string Name, string Tag, byte[] Layer, byte[] Config, byte[] Manifest)
{
    public const string ManifestType = "application/vnd.docker.distribution.manifest.v2+json";
    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    public string ManifestDigest => Digest(Manifest);

    public static TestImage Create(string name, string tag, string content)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "hello.txt") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) z.Write(tar.ToArray());
        var layer = gz.ToArray();
        var config = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"amd64","os":"linux","config":{"Cmd":["/hello.txt"]},"rootfs":{"type":"layers","diff_ids":["{{{Digest(tar.ToArray())}}}"]}}""");
        var manifest = Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"{{{ManifestType}}}","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":{{{config.Length}}},"digest":"{{{Digest(config)}}}"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{{{layer.Length}}},"digest":"{{{Digest(layer)}}}"}]}""");
        return new TestImage(name, tag, layer, config, manifest);
    }

    public async Task PushAsync(string registry)
    {
        foreach (var blob in new[] { Layer, Config })
        {
            using var start = await Http.PostAsync($"{registry}/v2/{Name}/blobs/uploads/", null);
            if ((int)start.StatusCode != 202) throw new InvalidOperationException($"upload start: {start.StatusCode}");
            var location = new Uri(new Uri(registry), start.Headers.Location!);
            var put = new UriBuilder(location) { Query = (location.Query.TrimStart('?') + "&digest=" + Uri.EscapeDataString(Digest(blob))).TrimStart('&') };
            using var content = new ByteArrayContent(blob);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var done = await Http.PutAsync(put.Uri, content);
            if ((int)done.StatusCode != 201) throw new InvalidOperationException($"blob upload: {done.StatusCode}");
        }
        using var manifest = new ByteArrayContent(Manifest);
        manifest.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
        using var r = await Http.PutAsync($"{registry}/v2/{Name}/manifests/{Tag}", manifest);
        if ((int)r.StatusCode != 201) throw new InvalidOperationException($"manifest push: {r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    /// <summary>Pulls by tag as a client does: the manifest, then each blob it names; throws unless every byte matches.</summary>
    public async Task PullAsync(string registry)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{registry}/v2/{Name}/manifests/{Tag}");
        request.Headers.Accept.ParseAdd(ManifestType);
        using var r = await Http.SendAsync(request);
        var manifest = await r.Content.ReadAsByteArrayAsync();
        if (!r.IsSuccessStatusCode || Digest(manifest) != ManifestDigest)
            throw new InvalidOperationException($"manifest from {registry}: {r.StatusCode}, digest {Digest(manifest)}");
        foreach (var blob in new[] { Config, Layer })
        {
            var got = await GetBlobAsync($"{registry}/v2/{Name}/blobs/{Digest(blob)}");
            if (Digest(got) != Digest(blob)) throw new InvalidOperationException($"blob {Digest(blob)} from {registry} does not match");
        }
    }

    /// <summary>
    /// A blob, asked again after a 5xx as containerd's and docker's pullers do: Debian's registry in proxy mode now and
    /// then answers a cold blob with 500 (once in session 6's CI, the cache in front of a cache on its first pull).
    /// Anything else, and a third 5xx, fails the pull.
    /// </summary>
    static async Task<byte[]> GetBlobAsync(string url)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var r = await Http.GetAsync(url);
            if ((int)r.StatusCode < 500 || attempt == 3)
            {
                r.EnsureSuccessStatusCode();
                return await r.Content.ReadAsByteArrayAsync();
            }
            await Task.Delay(TimeSpan.FromSeconds(attempt));
        }
    }
}
