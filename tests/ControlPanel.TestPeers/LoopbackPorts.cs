using System.Net;
using System.Net.Sockets;

namespace ControlPanel.TestPeers;

/// <summary>
/// Loopback ports for the peers the tests start (pebble, nginx, sshd, registries, the panel).
/// A port the OS picks with bind(0) comes from the ephemeral range, where any outgoing connection of a parallel
/// test can take it between our check and the peer's own bind (CI saw pebble fail with "Address already in use").
/// So ports are handed out below that range, each at most once per process, starting at an offset drawn from the
/// process id so that two test processes do not walk the same ports.
/// </summary>
public static class LoopbackPorts
{
    const int Lowest = 10000;
    static readonly int Highest = EphemeralLow() - 1;
    static readonly object Gate = new();
    static int next = Lowest + Environment.ProcessId * 389 % (Highest - Lowest);

    public static int Tcp() => Take(udpToo: false);

    /// <summary>A port free for both UDP and TCP (a DNS server listens on both).</summary>
    public static int UdpAndTcp() => Take(udpToo: true);

    static int Take(bool udpToo)
    {
        lock (Gate)
        {
            for (var tried = 0; tried < Highest - Lowest; tried++)
            {
                var port = next;
                next = next >= Highest ? Lowest : next + 1;
                if (TcpFree(port) && (!udpToo || UdpFree(port))) return port;
            }
        }
        throw new InvalidOperationException($"no free loopback port between {Lowest} and {Highest}");
    }

    static bool TcpFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    static bool UdpFree(int port)
    {
        try
        {
            using var u = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException) { return false; }
    }

    static int EphemeralLow()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        var low = File.Exists(range) ? int.Parse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0]) : 32768;
        return low > Lowest + 1000 ? low : 32768;
    }

    /// <summary>Waits until something accepts TCP connections on the loopback port.</summary>
    public static async Task WaitListeningAsync(int port, TimeSpan timeout, Func<bool> gaveUp)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var c = new TcpClient();
            try
            {
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !gaveUp())
            {
                await Task.Delay(10);
            }
        }
    }
}
