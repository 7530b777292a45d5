using System.Net;
using System.Net.Sockets;

namespace ControlPanel.TestPeers;

/// <summary>Loopback ports nobody listens on right now (the OS picks them), for pebble and the listeners around it.</summary>
public static class PebblePorts
{
    public static int Tcp()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static int Udp()
    {
        using var u = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)u.Client.LocalEndPoint!).Port;
    }

    /// <summary>A port free for both UDP and TCP (a DNS server listens on both).</summary>
    public static int UdpAndTcp()
    {
        for (var i = 0; ; i++)
        {
            var port = Udp();
            try
            {
                using var l = new TcpListener(IPAddress.Loopback, port);
                l.Start();
                return port;
            }
            catch (SocketException) when (i < 20) { }
        }
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
