using System.Net;
using ControlPanel.Engine.Artifacts;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// What the stack stages need besides the host: the network on the engine's side (downloads, the clock
/// reference, DNS), the versions manifest and how long to wait for services. Tests swap in loopback peers.
/// </summary>
public sealed class StackServices
{
    static readonly HttpClient SharedHttp = new() { Timeout = Timeout.InfiniteTimeSpan };

    public HttpClient Http { get; init; } = SharedHttp;
    public ArtifactManifest Manifest { get; init; } = ArtifactManifest.Default;
    public Func<string, CancellationToken, Task<IPAddress[]>> ResolveHost { get; init; } = Dns.GetHostAddressesAsync;
    /// <summary>The time an HTTP server says it is (its Date header), null when it cannot be asked.</summary>
    public Func<Uri, CancellationToken, Task<DateTimeOffset?>> ReferenceClock { get; init; } = HttpDateAsync;
    public Uri DefaultClockReference { get; init; } = new("https://github.com/");
    /// <summary>The engine's own clock: the reference for a remote host when no Date header can be had.</summary>
    public Func<DateTimeOffset> EngineClock { get; init; } = () => DateTimeOffset.UtcNow;
    public TimeSpan ServiceWait { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan GatewayWait { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public static StackServices Default { get; } = new();

    public ArtifactDownloader Downloader(string dataDirectory) => new(dataDirectory, Http);

    /// <summary>These services with another versions manifest (the user's --versions-file).</summary>
    public StackServices WithManifest(ArtifactManifest manifest) => new()
    {
        Http = Http, Manifest = manifest, ResolveHost = ResolveHost, ReferenceClock = ReferenceClock, DefaultClockReference = DefaultClockReference, EngineClock = EngineClock,
        ServiceWait = ServiceWait, GatewayWait = GatewayWait, PollInterval = PollInterval,
    };

    static async Task<DateTimeOffset?> HttpDateAsync(Uri url, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await SharedHttp.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), timeout.Token);
            return response.Headers.Date;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
