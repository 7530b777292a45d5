using System.Diagnostics;
using System.Net;
using ControlPanel.TestPeers;

namespace ControlPanel.Benchmarks;

/// <summary>A server the benchmarks start on a free loopback port: its time to the first /healthz 200, its output and memory.</summary>
sealed class ServedProcess : IAsyncDisposable
{
    readonly Process process;
    readonly List<string> output = [];

    ServedProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public int Id => process.Id;
    /// <summary>Milliseconds from the process's start to its first /healthz 200.</summary>
    public double StartMs { get; private set; }

    public string Output { get { lock (output) return string.Join('\n', output); } }

    /// <summary>Starts <paramref name="binary"/> with the arguments <paramref name="argv"/> makes for its URL and waits for /healthz.</summary>
    public static async Task<ServedProcess> StartAsync(string binary, Func<string, IEnumerable<string>> argv)
    {
        var baseUrl = $"http://127.0.0.1:{LoopbackPorts.Tcp()}";
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in argv(baseUrl)) psi.ArgumentList.Add(a);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var watch = Stopwatch.StartNew();
        var served = new ServedProcess(Process.Start(psi)!, baseUrl);
        served.process.OutputDataReceived += (_, e) => served.Add(e.Data);
        served.process.ErrorDataReceived += (_, e) => served.Add(e.Data);
        served.process.BeginOutputReadLine();
        served.process.BeginErrorReadLine();
        while (true)
        {
            if (served.process.HasExited) throw new InvalidOperationException($"{binary} exited ({served.process.ExitCode}):\n{served.Output}");
            try
            {
                if ((await http.GetAsync($"{baseUrl}/healthz")).StatusCode == HttpStatusCode.OK) break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(5);
        }
        served.StartMs = watch.Elapsed.TotalMilliseconds;
        return served;
    }

    void Add(string? line)
    {
        if (line is not null) lock (output) output.Add(line);
    }

    /// <summary>Memory in KiB from /proc/PID/smaps_rollup: resident; private (clean + dirty: pages no other process maps,
    /// which counts a binary's mapped image too when nobody else runs it); private dirty (what the process wrote: heaps, stacks, JIT code).
    /// And from /proc/PID/status, RssAnon: resident anonymous memory (heaps, stacks, runtime data), which leaves out
    /// the runtime's executable memory (JIT code, stubs), mapped from a memfd and counted as shared (RssShmem).</summary>
    public sealed record Use(long Rss, long Private, long PrivateDirty, long Anonymous);

    public Use Memory() => Memory(process.Id);

    public static Use Memory(int pid)
    {
        var fields = Fields($"/proc/{pid}/smaps_rollup");
        return new(fields["Rss"], fields["Private_Clean"] + fields["Private_Dirty"], fields["Private_Dirty"], Fields($"/proc/{pid}/status")["RssAnon"]);
    }

    /// <summary>The "Key: 123 kB" lines of a /proc file, in KiB.</summary>
    static Dictionary<string, long> Fields(string path) =>
        File.ReadLines(path).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => long.TryParse(p[1].Trim().Split(' ')[0], out var kb) ? kb : 0);

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
