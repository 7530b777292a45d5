using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace ControlPanel.TestPeers;

/// <summary>
/// A small loopback upstream for proxy tests. Plain requests get a text echo of what arrived (upstream name,
/// path, Host and forwarding headers); /redirect answers 302 to an absolute http:// URL built from Host; a
/// WebSocket upgrade is accepted and every message is echoed back.
/// </summary>
public sealed class NginxTestUpstream : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;

    NginxTestUpstream(string name)
    {
        Name = name;
        listener.Start();
        accepting = AcceptAsync();
    }

    public string Name { get; }
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public string Url => $"http://127.0.0.1:{Port}";

    public static NginxTestUpstream Start(string name) => new(name);

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) { return; }
            _ = ServeAsync(client);
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var head = await ReadHeadAsync(stream);
            if (head is null) return;
            var lines = head.Split("\r\n");
            var target = lines[0].Split(' ')[1];
            var headers = lines.Skip(1).Where(l => l.Contains(':'))
                .GroupBy(l => l[..l.IndexOf(':')].Trim(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First()[(g.First().IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
            string Header(string n) => headers.TryGetValue(n, out var v) ? v : "";

            if (Header("Upgrade").Equals("websocket", StringComparison.OrdinalIgnoreCase))
            {
                var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(Header("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
                await Write(stream, $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n");
                await EchoFramesAsync(stream);
                return;
            }
            if (target.EndsWith("/redirect", StringComparison.Ordinal))
            {
                await Write(stream, $"HTTP/1.1 302 Found\r\nLocation: http://{Header("Host")}/login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            var body = $"upstream={Name}\npath={target}\nhost={Header("Host")}\nx-forwarded-proto={Header("X-Forwarded-Proto")}\nx-forwarded-for={Header("X-Forwarded-For")}\n";
            await Write(stream, $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}");
        }
        catch (IOException) { }
        catch (SocketException) { }
    }

    static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        // Byte by byte, so nothing after the head (a WebSocket frame) is swallowed by a buffer.
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 65536)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            head.Add(one[0]);
            if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
                return Encoding.ASCII.GetString(head.ToArray(), 0, head.Count - 4);
        }
        return null;
    }

    static async Task EchoFramesAsync(NetworkStream stream)
    {
        while (true)
        {
            var h = new byte[2];
            await stream.ReadExactlyAsync(h);
            var opcode = h[0] & 0x0F;
            long length = h[1] & 0x7F;
            if (length == 126) { var b = new byte[2]; await stream.ReadExactlyAsync(b); length = (b[0] << 8) | b[1]; }
            else if (length == 127) { var b = new byte[8]; await stream.ReadExactlyAsync(b); length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(b); }
            var mask = new byte[4];
            if ((h[1] & 0x80) != 0) await stream.ReadExactlyAsync(mask);
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload);
            for (var i = 0; i < payload.Length; i++) payload[i] ^= mask[i % 4];

            var frame = new List<byte> { h[0] };
            if (payload.Length < 126) frame.Add((byte)payload.Length);
            else { frame.Add(126); frame.Add((byte)(payload.Length >> 8)); frame.Add((byte)payload.Length); }
            frame.AddRange(payload);
            await stream.WriteAsync(frame.ToArray());
            if (opcode == 8) return;
        }
    }

    static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
