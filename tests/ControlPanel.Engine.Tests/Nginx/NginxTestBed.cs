using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Nginx;

/// <summary>One test's world: an nginx in a private prefix on free loopback ports, three upstreams, a data directory.</summary>
public sealed class NginxTestBed : IAsyncDisposable
{
    public const string Domain = "panel.test";

    public NginxPrefix Nginx { get; } = NginxPrefix.Create();
    public NginxTestUpstream Functions { get; } = NginxTestUpstream.Start("functions");
    public NginxTestUpstream Pai { get; } = NginxTestUpstream.Start("pai");
    public NginxTestUpstream CodeServer { get; } = NginxTestUpstream.Start("codeserver");
    public int HttpPort { get; } = LoopbackPorts.Tcp();
    public int HttpsPort { get; } = LoopbackPorts.Tcp();
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("cp-nginx-data-").FullName;
    public NginxTarget Target { get; }
    public TestLog Log { get; } = new();
    public NginxTestCertificate? Certificate { get; private set; }

    public NginxTestBed() => Target = Nginx.Target(HttpPort, HttpsPort);

    public string SitePath => Target.SitePath;

    /// <summary>panel.sh's route shapes, pointed at the loopback upstreams.</summary>
    public ProxySettings Routes() => new()
    {
        Domain = Domain,
        Hsts = true,
        Routes =
        [
            new() { Path = "/", Upstream = Functions.Url + "/function/" },
            new() { Path = "/pai/", Upstream = Pai.Url },
            new() { Path = "/faasd/", Upstream = Functions.Url + "/", StartPage = "/faasd/ui/", Websocket = false },
            new() { Path = "/codeserver/", Upstream = CodeServer.Url + "/", HttpsRedirects = true },
        ],
    };

    public NginxTestCertificate IssueCertificate() => Certificate = NginxTestCertificate.Write(Nginx.CertificateRoot, Domain);

    public StageContext Context(IHost? host = null) =>
        new(host ?? new LocalHost(), Log, DataDirectory, CancellationToken.None);

    /// <summary>The install's routes for <see cref="Domain"/>: what its nginx stages render.</summary>
    public static NginxRoutes InstallRoutes => new(Domain);

    public HttpClient Client() => new(NginxTestCertificate.LoopbackHandler(Certificate))
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public string Http(string path) => $"http://{Domain}:{HttpPort}{path}";
    public string Https(string path) => $"https://{Domain}:{HttpsPort}{path}";

    /// <summary>A reload takes effect asynchronously: poll until the condition holds.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try { if (await condition()) return; }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Nginx.DisposeAsync();
        await Functions.DisposeAsync();
        await Pai.DisposeAsync();
        await CodeServer.DisposeAsync();
        Directory.Delete(DataDirectory, recursive: true);
    }
}

public sealed class TestLog : IStageLog
{
    readonly List<string> lines = new();
    public IReadOnlyList<string> Lines { get { lock (lines) return lines.ToArray(); } }
    public void Info(string message) { lock (lines) lines.Add("info: " + message); }
    public void Warn(string message) { lock (lines) lines.Add("warn: " + message); }
    public void Output(OutputLine line) { lock (lines) lines.Add(line.Text); }
}
