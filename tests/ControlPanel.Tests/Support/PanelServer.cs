using System.Diagnostics;
using System.Text.RegularExpressions;
using ControlPanel.TestPeers;

namespace ControlPanel.Tests.Support;

/// <summary>
/// The real panel: starts the test panel's `serve` (the product's panel with the FIXTURE plans) on a free loopback
/// port with a temporary data directory and the FIXTURE plans (harmless stages confined to <see cref="FixtureDirectory"/>),
/// and reads the setup URL from its console. Shared by the E2E tests and the live-log benchmark.
/// </summary>
public sealed partial class PanelServer : IAsyncDisposable
{
    readonly Process process;
    readonly TaskCompletionSource<string> setupUrl = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly List<string> console = new();

    readonly bool ownsRoot;

    PanelServer(string root, int port, bool ownsRoot, IEnumerable<string> extraArgs, IReadOnlyList<string> wrapper)
    {
        Root = root;
        this.ownsRoot = ownsRoot;
        BaseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo(wrapper.Count > 0 ? wrapper[0] : Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in wrapper.Skip(1).Concat(wrapper.Count > 0 ? [Binary] : [])) start.ArgumentList.Add(a);
        foreach (var a in new[] { "serve", "--urls", BaseUrl, "--data", DataDirectory, "--fixture-plans", FixtureDirectory }.Concat(extraArgs)) start.ArgumentList.Add(a);
        start.Environment["DOTNET_gcServer"] = "0";
        process = Process.Start(start) ?? throw new InvalidOperationException("controlpanel did not start");
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Root { get; }
    public string BaseUrl { get; }
    public string DataDirectory => Path.Combine(Root, "data");
    public string FixtureDirectory => Path.Combine(Root, "fixture");
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;

    /// <summary>The one-time setup URL the panel printed on its first start.</summary>
    public Task<string> SetupUrl => setupUrl.Task;

    public string Console { get { lock (console) return string.Join('\n', console); } }

    /// <summary>Starts a panel on a fresh directory, or a second panel on another one's directory (sharing its data, as a CLI would).</summary>
    public static Task<PanelServer> StartAsync(string? sharedRoot = null, params string[] extraArgs) => StartAsync(sharedRoot, extraArgs, []);

    /// <summary>As above, the panel started through <paramref name="wrapper"/> (a command that execs its last arguments, e.g. into a private mount namespace).</summary>
    public static async Task<PanelServer> StartAsync(string? sharedRoot, string[] extraArgs, IReadOnlyList<string> wrapper)
    {
        var root = sharedRoot ?? Path.Combine(Path.GetTempPath(), "cp-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(root, "fixture"));
        var server = new PanelServer(root, LoopbackPorts.Tcp(), ownsRoot: sharedRoot is null, extraArgs, wrapper);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (server.process.HasExited) throw new InvalidOperationException("controlpanel exited:\n" + server.Console);
            try
            {
                if ((await http.GetAsync(server.BaseUrl + "/healthz")).IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("controlpanel did not answer /healthz:\n" + server.Console);
            await Task.Delay(200);
        }
    }

    /// <summary>Writes a fixture control file (lines-STAGE, rate, sleep-STAGE, fail-STAGE).</summary>
    public void SetFixture(string file, string value) => File.WriteAllText(Path.Combine(FixtureDirectory, file), value);

    public void ClearFixture(string file) => File.Delete(Path.Combine(FixtureDirectory, file));

    void OnLine(string? line)
    {
        if (line is null) return;
        lock (console) console.Add(line);
        var m = SetupLine().Match(line);
        if (m.Success) setupUrl.TrySetResult(m.Groups[1].Value);
    }

    /// <summary>
    /// The test panel's build output (tests/ControlPanel.TestPanel: the product's CLI and panel with the FIXTURE plans;
    /// the test project references it, so it is built first), or CONTROLPANEL's (a benchmark comparing two builds).
    /// </summary>
    static string Binary =>
        Environment.GetEnvironmentVariable("CONTROLPANEL") is { Length: > 0 } chosen ? chosen : RepoPaths.Binary("tests/ControlPanel.TestPanel", "controlpanel-test");

    /// <summary>Kills the panel and everything it started, as a crash or a power cut would.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        if (!ownsRoot) return;
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"SETUP URL: (\S+)")] private static partial Regex SetupLine();
}
