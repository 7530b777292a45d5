using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ControlPanel.TestPeers;

/// <summary>How a test wants its pebble: each maps to a pebble config key or environment variable.</summary>
public sealed record PebbleOptions
{
    /// <summary>The port pebble connects to on 127.0.0.1 for HTTP-01 (config httpPort); default: a free one.</summary>
    public int? HttpPort { get; init; }
    /// <summary>PEBBLE_WFE_NONCEREJECT: percent of signed requests refused with badNonce (pebble's default is 5).</summary>
    public int? NonceRejectPercent { get; init; }
    /// <summary>When set, external account binding is required and these kid -> base64url HMAC keys are accepted.</summary>
    public IReadOnlyDictionary<string, string>? EabKeys { get; init; }
    /// <summary>PEBBLE_ALTERNATE_ROOTS: how many alternate roots (and chains) to offer.</summary>
    public int? AlternateRoots { get; init; }
    /// <summary>PEBBLE_AUTHZREUSE: percent of authorizations reused for a new order (pebble's default is 50).</summary>
    public int? AuthzReusePercent { get; init; }
    /// <summary>Config certificateValidityPeriod; pebble's default is 5 years.</summary>
    public TimeSpan? CertificateValidity { get; init; }
}

/// <summary>
/// Debian's real pebble ACME server with pebble-challtestsrv as its DNS (every name is 127.0.0.1), on free
/// loopback ports, in a temp directory with its own throw-away TLS CA. PEBBLE_VA_NOSLEEP=1 keeps validation fast.
/// Dispose stops both and removes the directory.
/// </summary>
public sealed class Pebble : IAsyncDisposable
{
    readonly List<Process> processes = new();
    readonly StringBuilder output = new();

    Pebble(string workDir, TestCa ca, int port, int managementPort, int httpPort)
    {
        WorkDir = workDir;
        Ca = ca;
        Port = port;
        ManagementPort = managementPort;
        HttpPort = httpPort;
    }

    public string WorkDir { get; }
    public TestCa Ca { get; }
    public int Port { get; }
    public int ManagementPort { get; }
    public int HttpPort { get; }
    /// <summary>The directory URL; its TLS certificate is signed by <see cref="CaFile"/>.</summary>
    public string DirectoryUrl => $"https://127.0.0.1:{Port}/dir";
    public string CaFile => Ca.CaFile;
    public string Output { get { lock (output) return output.ToString(); } }

    public static async Task<Pebble> StartAsync(PebbleOptions? options = null)
    {
        options ??= new PebbleOptions();
        for (var attempt = 1; ; attempt++)
        {
            var pebble = Create(options);
            try
            {
                await pebble.LaunchAsync(options);
                return pebble;
            }
            catch (Exception) when (attempt < 3)
            {
                // Another process may have taken a port we picked in between: try again with new ones.
                await pebble.DisposeAsync();
            }
        }
    }

    static Pebble Create(PebbleOptions options)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pebble-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        return new Pebble(dir, TestCa.Create(dir), LoopbackPorts.Tcp(), LoopbackPorts.Tcp(), options.HttpPort ?? LoopbackPorts.Tcp());
    }

    async Task LaunchAsync(PebbleOptions options)
    {
        var dnsPort = LoopbackPorts.UdpAndTcp();
        var challManagement = LoopbackPorts.Tcp();
        var challtestsrv = Start("pebble-challtestsrv",
            ["-dns01", $"127.0.0.1:{dnsPort}", "-http01", "", "-https01", "", "-tlsalpn01", "", "-management", $"127.0.0.1:{challManagement}", "-defaultIPv6", ""],
            new Dictionary<string, string>());
        await LoopbackPorts.WaitListeningAsync(challManagement, TimeSpan.FromSeconds(10), () => challtestsrv.HasExited);

        var config = new JsonObject
        {
            ["listenAddress"] = $"127.0.0.1:{Port}",
            ["managementListenAddress"] = $"127.0.0.1:{ManagementPort}",
            ["certificate"] = Ca.CertFile,
            ["privateKey"] = Ca.KeyFile,
            ["httpPort"] = HttpPort,
            ["tlsPort"] = LoopbackPorts.Tcp(),
            ["ocspResponderURL"] = "",
            ["externalAccountBindingRequired"] = options.EabKeys is not null,
        };
        if (options.EabKeys is not null)
            config["externalAccountMACKeys"] = new JsonObject(options.EabKeys.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)k.Value)));
        if (options.CertificateValidity is { } validity) config["certificateValidityPeriod"] = (long)validity.TotalSeconds;
        var configFile = Path.Combine(WorkDir, "pebble-config.json");
        File.WriteAllText(configFile, new JsonObject { ["pebble"] = config }.ToJsonString());

        var env = new Dictionary<string, string> { ["PEBBLE_VA_NOSLEEP"] = "1" };
        if (options.NonceRejectPercent is { } reject) env["PEBBLE_WFE_NONCEREJECT"] = reject.ToString();
        if (options.AlternateRoots is { } roots) env["PEBBLE_ALTERNATE_ROOTS"] = roots.ToString();
        if (options.AuthzReusePercent is { } reuse) env["PEBBLE_AUTHZREUSE"] = reuse.ToString();
        var pebble = Start("pebble", ["-config", configFile, "-dnsserver", $"127.0.0.1:{dnsPort}", "-strict=false"], env);
        try
        {
            await LoopbackPorts.WaitListeningAsync(Port, TimeSpan.FromSeconds(10), () => pebble.HasExited);
            await LoopbackPorts.WaitListeningAsync(ManagementPort, TimeSpan.FromSeconds(10), () => pebble.HasExited);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"pebble did not start: {Output}", e);
        }
    }

    Process Start(string program, string[] args, Dictionary<string, string> env)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = WorkDir,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine($"{program}: {e.Data}"); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine($"{program}: {e.Data}"); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        processes.Add(p);
        return p;
    }

    /// <summary>Pebble's current issuing root (it makes new ones at every start), from the management interface.</summary>
    public async Task<X509Certificate2> RootAsync(int index = 0) => (await ManagementPemAsync($"/roots/{index}"))[0];

    public async Task<X509Certificate2> IntermediateAsync(int index = 0) => (await ManagementPemAsync($"/intermediates/{index}"))[0];

    async Task<X509Certificate2Collection> ManagementPemAsync(string path)
    {
        using var http = Ca.CreateHttpClient();
        var pem = await http.GetStringAsync($"https://127.0.0.1:{ManagementPort}{path}");
        var certs = new X509Certificate2Collection();
        certs.ImportFromPem(pem);
        return certs;
    }

    /// <summary>Builds the chain of a leaf with the PEM intermediates given, trusting only the given root.</summary>
    public static bool ChainsTo(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        return chain.Build(leaf);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in processes)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception) { }
            p.Dispose();
        }
        processes.Clear();
        try { Directory.Delete(WorkDir, recursive: true); }
        catch (IOException) { }
    }
}
