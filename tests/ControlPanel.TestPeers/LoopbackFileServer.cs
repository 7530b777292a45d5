using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ControlPanel.TestPeers;

/// <summary>What the server does wrong for one path, on purpose.</summary>
public abstract record Fault
{
    /// <summary>Announces the whole length, sends <paramref name="Bytes"/> of it and closes the connection, for the first <paramref name="Times"/> requests.</summary>
    public sealed record DropAfter(int Bytes, int Times = 1) : Fault;
    /// <summary>Serves only the first <paramref name="Bytes"/> as if that were the whole file (a mirror with a half-copied file).</summary>
    public sealed record Truncate(int Bytes) : Fault;
    /// <summary>Serves the file with one byte changed (a damaged or tampered copy).</summary>
    public sealed record Corrupt(int Offset) : Fault;
    /// <summary>Answers with this status and no body.</summary>
    public sealed record Status(int Code) : Fault;
    /// <summary>Sends the body at about this many bytes a second, in tenths (a slow mirror).</summary>
    public sealed record Slow(int BytesPerSecond) : Fault;
}

/// <summary>
/// A small HTTP/1.1 file server on 127.0.0.1 for download tests: serves byte arrays by path, honours
/// "Range: bytes=N-" (206/416), sends a Date header, records every request, and injects faults per path.
/// Written on a raw socket so a fault can cut a response mid-body exactly where the test says.
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly ConcurrentDictionary<string, byte[]> files = new();
    readonly ConcurrentDictionary<string, Fault> faults = new();
    readonly ConcurrentDictionary<string, int> faultUses = new();
    readonly ConcurrentQueue<(string Method, string Path, string? Range)> requests = new();
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    public LoopbackFileServer()
    {
        listener.Start();
        loop = AcceptLoop();
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    public IReadOnlyList<(string Method, string Path, string? Range)> Requests => requests.ToArray();
    /// <summary>The time the server claims in its Date header (default: now).</summary>
    public DateTimeOffset? ClaimedTime { get; set; }

    public Uri Add(string path, byte[] content)
    {
        files[Normalize(path)] = content;
        return new Uri(BaseUrl, Normalize(path).TrimStart('/'));
    }

    public void Inject(string path, Fault fault) { faults[Normalize(path)] = fault; faultUses[Normalize(path)] = 0; }
    public void Heal(string path) => faults.TryRemove(Normalize(path), out _);

    static string Normalize(string path) => "/" + path.TrimStart('/');

    async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) when (stop.IsCancellationRequested) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var head = await ReadHead(stream);
            if (head is null) return;
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            var (method, path) = (parts[0], Uri.UnescapeDataString(parts[1].Split('?')[0]));
            var range = lines.Skip(1).FirstOrDefault(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))?[6..].Trim();
            requests.Enqueue((method, path, range));

            if (!files.TryGetValue(path, out var content)) { await Respond(stream, 404, [], null, method); return; }
            faults.TryGetValue(path, out var fault);
            switch (fault)
            {
                case Fault.Status s: await Respond(stream, s.Code, [], null, method); return;
                case Fault.Truncate t: content = content[..Math.Min(t.Bytes, content.Length)]; break;
                case Fault.Corrupt c: content = (byte[])content.Clone(); content[c.Offset] ^= 0xff; break;
            }

            long from = 0;
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
                from = long.Parse(range[6..^1], CultureInfo.InvariantCulture);
            if (from >= content.Length && from > 0)
            {
                await Respond(stream, 416, [], $"bytes */{content.Length}", method);
                return;
            }
            var body = content[(int)from..];
            var contentRange = from > 0 ? $"bytes {from}-{content.Length - 1}/{content.Length}" : null;
            int? cut = null;
            if (fault is Fault.DropAfter d && faultUses.AddOrUpdate(path, 1, (_, n) => n + 1) <= d.Times) cut = Math.Min(d.Bytes, body.Length);
            await Respond(stream, from > 0 ? 206 : 200, body, contentRange, method, cut, (fault as Fault.Slow)?.BytesPerSecond);
        }
        catch (IOException) { }
    }

    async Task Respond(NetworkStream stream, int status, byte[] body, string? contentRange, string method, int? cutAfter = null, int? bytesPerSecond = null)
    {
        var sb = new StringBuilder();
        sb.Append($"HTTP/1.1 {status} {Reason(status)}\r\n");
        sb.Append($"Date: {(ClaimedTime ?? DateTimeOffset.UtcNow).ToString("r", CultureInfo.InvariantCulture)}\r\n");
        sb.Append("Accept-Ranges: bytes\r\nConnection: close\r\nContent-Type: application/octet-stream\r\n");
        if (contentRange is not null) sb.Append($"Content-Range: {contentRange}\r\n");
        sb.Append($"Content-Length: {body.Length}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()));
        var length = cutAfter ?? body.Length;
        if (method == "HEAD") length = 0;
        var chunk = bytesPerSecond is { } rate ? Math.Max(1, rate / 10) : Math.Max(1, length);
        for (var sent = 0; sent < length; sent += chunk)
        {
            if (sent > 0) await Task.Delay(100);
            await stream.WriteAsync(body.AsMemory(sent, Math.Min(chunk, length - sent)));
        }
        await stream.FlushAsync();
        if (cutAfter is not null) stream.Socket.Close(0);
    }

    static async Task<string?> ReadHead(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16384)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r')
                return Encoding.ASCII.GetString(buffer.ToArray(), 0, buffer.Count - 4);
        }
        return null;
    }

    static string Reason(int status) => status switch
    {
        200 => "OK", 206 => "Partial Content", 404 => "Not Found", 416 => "Range Not Satisfiable", 503 => "Service Unavailable", _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        try { await loop; } catch (OperationCanceledException) { }
    }
}
