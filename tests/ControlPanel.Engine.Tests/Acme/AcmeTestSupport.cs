using System.Collections.Concurrent;
using System.Net;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Acme;

/// <summary>A stage log that keeps its lines for assertions.</summary>
sealed class RecordingLog : IStageLog
{
    public ConcurrentQueue<string> Lines { get; } = new();
    public void Info(string message) => Lines.Enqueue("info: " + message);
    public void Warn(string message) => Lines.Enqueue("warn: " + message);
    public void Output(OutputLine line) => Lines.Enqueue("out: " + line.Text);
    public string Text => string.Join("\n", Lines);
}

/// <summary>A clock the test moves.</summary>
sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

static class AcmeTestSupport
{
    /// <summary>Pebble answers quickly with PEBBLE_VA_NOSLEEP; poll eagerly so tests stay fast.</summary>
    public static readonly AcmeClientOptions FastPolling = new() { PollInitialDelay = TimeSpan.FromMilliseconds(20), PollTimeout = TimeSpan.FromSeconds(60) };

    public static AcmeDirectorySettings Directory(Pebble pebble) => new(new Uri(pebble.DirectoryUrl), pebble.CaFile);

    public static StandaloneHttp01Responder Responder(Pebble pebble) => StandaloneHttp01Responder.Start(IPAddress.Loopback, pebble.HttpPort);

    public static async Task<IssuedCertificate> IssueAsync(Pebble pebble, string dataDir, string[] domains, ExternalAccountBinding? eab = null,
        string? preferredChain = null, string keyType = CertificateKeyType.Ec, RecordingLog? log = null)
    {
        await using var responder = Responder(pebble);
        var issuer = new AcmeIssuer(new AccountStore(dataDir), FastPolling);
        return await issuer.IssueAsync(new CertificateOrderSpec(domains, "admin@panel.test", Directory(pebble), keyType, preferredChain),
            eab, responder, log ?? new RecordingLog(), CancellationToken.None);
    }
}
