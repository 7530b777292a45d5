using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// A temporary HTTP server of our own for HTTP-01, like certbot --standalone: answers only
/// GET /.well-known/acme-challenge/TOKEN, one request per connection, and stops when disposed.
/// </summary>
public sealed class StandaloneHttp01Responder : IHttp01Responder
{
    const string Prefix = "/.well-known/acme-challenge/";
    readonly ConcurrentDictionary<string, string> answers = new();
    readonly TcpListener listener;
    readonly CancellationTokenSource stop = new();
    readonly Task accepting;

    StandaloneHttp01Responder(TcpListener listener)
    {
        this.listener = listener;
        accepting = AcceptLoop();
    }

    public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndpoint;

    /// <summary>Listens on address:port (IPAddress.IPv6Any = every interface, IPv4 included), failing with a clear message if the port is taken.</summary>
    public static StandaloneHttp01Responder Start(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        if (address.Equals(IPAddress.IPv6Any)) listener.Server.DualMode = true;
        // The CA's validation connections to the previous responder on this port may still be in TIME_WAIT (a renewal
        // right after an issue, several names in a row): without this the port stays refused for a minute.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (address.Equals(IPAddress.IPv6Any) && e.SocketErrorCode == SocketError.AddressFamilyNotSupported)
        {
            return Start(IPAddress.Any, port);
        }
        catch (SocketException e)
        {
            throw new AcmeException($"cannot listen on {FormatEndPoint(address, port)} for the HTTP-01 challenge: {e.Message}" +
                                    (e.SocketErrorCode == SocketError.AddressAlreadyInUse ? " (another web server holds the port: serve the challenge from its webroot or stop it)" : ""));
        }
        return new StandaloneHttp01Responder(listener);
    }

    /// <summary>Every interface, IPv4 and IPv6: the CA connects from outside.</summary>
    public static StandaloneHttp01Responder StartOnAllInterfaces(int port) => Start(IPAddress.IPv6Any, port);

    static string FormatEndPoint(IPAddress address, int port) => new IPEndPoint(address, port).ToString();

    public Task PublishAsync(string token, string keyAuthorization, CancellationToken ct)
    {
        answers[Http01Token.Require(token)] = keyAuthorization;
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string token, CancellationToken ct)
    {
        answers.TryRemove(token, out _);
        return Task.CompletedTask;
    }

    async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Serve(client);
        }
    }

    async Task Serve(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var stream = client.GetStream();
            var head = await ReadHead(stream, timeout.Token);
            var parts = head?.Split('\n', 2)[0].Trim().Split(' ');
            var (status, body) = parts is [var method, var target, _] && (method == "GET" || method == "HEAD")
                                 && target.StartsWith(Prefix, StringComparison.Ordinal)
                                 && answers.TryGetValue(target[Prefix.Length..], out var answer)
                ? ("200 OK", answer)
                : ("404 Not Found", "not found\n");
            var bytes = Encoding.ASCII.GetBytes(body);
            var response = $"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), timeout.Token);
            if (parts is not ["HEAD", ..]) await stream.WriteAsync(bytes, timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // A client that hangs up or dawdles is simply dropped; the CA retries.
        }
    }

    /// <summary>Reads up to the blank line ending the request head (at most 8 KiB).</summary>
    static async Task<string?> ReadHead(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (n == 0) break;
            length += n;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0) return Encoding.ASCII.GetString(buffer, 0, length);
        }
        return length > 0 ? Encoding.ASCII.GetString(buffer, 0, length) : null;
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
