using System.Diagnostics;
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
        var fixedCost = await MeasureAsync("controlpanel cert list (start-up + database, no ACME)", n, _ => RunAsync(binary,
            ["cert", "list", "--data", Path.Combine(work, "cli-data")], new()));

        var issuer = new AcmeIssuer(new AccountStore(Path.Combine(work, "engine-data")));
        var engine = await MeasureAsync("engine in-process", n, async i =>
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
        MeasureAsync("controlpanel cert issue", n, i => RunAsync(binary,
            ["cert", "issue", "--domain", $"cli{i}.panel.test", "--directory", pebble.DirectoryUrl, "--directory-ca", pebble.CaFile,
             "--http-port", pebble.HttpPort.ToString(), "--out", Path.Combine(work, $"cli{i}"), "--data", Path.Combine(work, "cli-data")], new()));

    static Task<double> CertbotAsync(Pebble pebble, string work, int n)
    {
        var certbotDir = Path.Combine(work, "certbot");
        return MeasureAsync("certbot certonly --standalone", n, i => RunAsync("certbot",
            ["certonly", "--standalone", "--http-01-address", "127.0.0.1", "--http-01-port", pebble.HttpPort.ToString(), "--non-interactive",
             "--agree-tos", "--register-unsafely-without-email", "--server", pebble.DirectoryUrl, "--config-dir", certbotDir,
             "--work-dir", certbotDir, "--logs-dir", certbotDir, "-d", $"certbot{i}.panel.test"],
            new() { ["REQUESTS_CA_BUNDLE"] = pebble.CaFile }));
    }

    /// <summary>
    /// One untimed warm-up (index 0), then n timed runs; returns the median wall time in seconds. Also prints the
    /// CPU seconds (user+sys) per run: this process's and its waited-for children's, a figure a busy machine does not stretch.
    /// </summary>
    internal static async Task<double> MeasureAsync(string what, int n, Func<int, Task> run)
    {
        await run(0);
        var times = new List<double>();
        var cpu = new List<double>();
        for (var i = 1; i <= n; i++)
        {
            var cpuBefore = CpuSeconds();
            var sw = Stopwatch.StartNew();
            await run(i);
            times.Add(sw.Elapsed.TotalSeconds);
            cpu.Add(CpuSeconds() - cpuBefore);
        }
        var median = Median(times);
        Console.WriteLine($"{what}: runs {string.Join(" ", times.Select(t => t.ToString("F3")))} s, median {median:F3} s; CPU median {Median(cpu):F2} s");
        return median;
    }

    internal static double Median(List<double> values)
    {
        var v = values.Order().ToList();
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    /// <summary>utime+stime+cutime+cstime of this process from /proc/self/stat (clock ticks of 1/100 s).</summary>
    static double CpuSeconds()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14])) / 100.0;
    }

    /// <summary>Runs a program to its end; its output is kept and shown only if it fails.</summary>
    internal static async Task RunAsync(string program, string[] argv, Dictionary<string, string> env, TimeSpan? timeout = null)
    {
        var r = await ProcessRunner.Default.RunAsync(new ProcessSpec([program, .. argv]) { Environment = env, OkExitCodes = Enumerable.Range(0, 256).ToArray(), CaptureStdout = true, Timeout = timeout ?? TimeSpan.FromMinutes(2) });
        if (r.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({r.ExitCode}): {r.Stdout}\n{string.Join("\n", r.StderrTail)}");
    }

    sealed class NullLog : IStageLog
    {
        public static readonly NullLog Instance = new();
        public void Info(string message) { }
        public void Warn(string message) { }
        public void Output(OutputLine line) { }
    }
}
