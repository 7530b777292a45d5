using System.Net;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;
using ControlPanel.TestPeers;

namespace ControlPanel.Benchmarks;

/// <summary>
/// Issuance time on the same pebble (PEBBLE_VA_NOSLEEP=1, no authorization reuse, no badNonce injection so certbot,
/// which retries a bad nonce only once, is not penalised): `controlpanel cert issue` (the built binary, process
/// start included, like for like with certbot), our engine in-process, and `certbot certonly --standalone`.
/// One warm-up each (account registration), then N timed runs on fresh names. Target: ours at most half of certbot's.
/// </summary>
public sealed class AcmeVsCertbotBenchmark : IBenchmark
{
    public string Name => "acme";
    public string Description => "median certificate issuance time: controlpanel vs certbot on pebble (arg: N, default 5)";

    public async Task RunAsync(string[] args)
    {
        var n = args.Length > 0 && int.TryParse(args[0], out var parsed) ? parsed : 5;
        var (pebble, work) = await StartPebbleAsync(n);
        await using var _ = pebble;

        // What users run is the published (ReadyToRun) binary: CONTROLPANEL points at it (see README).
        var binary = Environment.GetEnvironmentVariable("CONTROLPANEL") ?? RepoPaths.Binary("src/ControlPanel", "controlpanel");
        Console.WriteLine($"binary {binary}");
        var cli = await CliAsync(pebble, work, binary, n);

        // The part of the CLI's time that is not ACME: process start, .NET JIT and opening the database (EF Core).
        var fixedCost = await Measure.TimesAsync("controlpanel cert list (start-up + database, no ACME)", n, _ => Measure.RunAsync(binary,
            ["cert", "list", "--data", Path.Combine(work, "cli-data")], new()));

        var issuer = new AcmeIssuer(new AccountStore(Path.Combine(work, "engine-data")));
        var engine = await Measure.TimesAsync("engine in-process", n, async i =>
        {
            await using var responder = StandaloneHttp01Responder.Start(IPAddress.Loopback, pebble.HttpPort);
            await issuer.IssueAsync(new CertificateOrderSpec([$"eng{i}.panel.test"], null, new AcmeDirectorySettings(new Uri(pebble.DirectoryUrl), pebble.CaFile)),
                null, responder, NullLog.Instance, CancellationToken.None);
        });

        var certbot = await CertbotAsync(pebble, work, n);

        Console.WriteLine($"acme.controlpanel_cli.median: {cli:F3} s");
        Console.WriteLine($"acme.controlpanel_cli_startup_and_db.median: {fixedCost:F3} s");
        Console.WriteLine($"acme.engine_inprocess.median: {engine:F3} s");
        Console.WriteLine($"acme.certbot.median: {certbot:F3} s");
        Console.WriteLine($"acme.ratio_cli_to_certbot: {cli / certbot:F2} (target <= 0.50: {(cli / certbot <= 0.5 ? "met" : "NOT met")})");
        Console.WriteLine($"acme.ratio_engine_to_certbot: {engine / certbot:F2}");
    }

    /// <summary>The medians of `controlpanel cert issue` (this binary) and certbot on one pebble, for the figures table.</summary>
    internal static async Task<(double Cli, double Certbot)> CliAndCertbotAsync(string binary, int n)
    {
        var (pebble, work) = await StartPebbleAsync(n);
        await using var _ = pebble;
        return (await CliAsync(pebble, work, binary, n), await CertbotAsync(pebble, work, n));
    }

    static async Task<(Pebble, string)> StartPebbleAsync(int n)
    {
        var pebble = await Pebble.StartAsync(new PebbleOptions { NonceRejectPercent = 0, AuthzReusePercent = 0 });
        var work = Path.Combine(pebble.WorkDir, "bench");
        Directory.CreateDirectory(work);
        Console.WriteLine($"pebble {pebble.DirectoryUrl}, HTTP-01 on 127.0.0.1:{pebble.HttpPort}, N={n}");
        return (pebble, work);
    }

    static Task<double> CliAsync(Pebble pebble, string work, string binary, int n) =>
        Measure.TimesAsync("controlpanel cert issue", n, i => Measure.RunAsync(binary,
            ["cert", "issue", "--domain", $"cli{i}.panel.test", "--directory", pebble.DirectoryUrl, "--directory-ca", pebble.CaFile,
             "--http-port", pebble.HttpPort.ToString(), "--out", Path.Combine(work, $"cli{i}"), "--data", Path.Combine(work, "cli-data")], new()));

    static Task<double> CertbotAsync(Pebble pebble, string work, int n)
    {
        var certbotDir = Path.Combine(work, "certbot");
        return Measure.TimesAsync("certbot certonly --standalone", n, i => Measure.RunAsync("certbot",
            ["certonly", "--standalone", "--http-01-address", "127.0.0.1", "--http-01-port", pebble.HttpPort.ToString(), "--non-interactive",
             "--agree-tos", "--register-unsafely-without-email", "--server", pebble.DirectoryUrl, "--config-dir", certbotDir,
             "--work-dir", certbotDir, "--logs-dir", certbotDir, "-d", $"certbot{i}.panel.test"],
            new() { ["REQUESTS_CA_BUNDLE"] = pebble.CaFile }));
    }

    sealed class NullLog : IStageLog
    {
        public static readonly NullLog Instance = new();
        public void Info(string message) { }
        public void Warn(string message) { }
        public void Output(OutputLine line) { }
    }
}
