using System.Diagnostics;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Benchmarks;

/// <summary>How the benchmarks time a step and run a program: medians with CPU seconds beside them.</summary>
static class Measure
{
    /// <summary>
    /// One untimed warm-up (index 0), then n timed runs; returns the median wall time in seconds. Also prints the
    /// CPU seconds (user+sys) per run: this process's and its waited-for children's, a figure a busy machine does not stretch.
    /// </summary>
    public static async Task<double> TimesAsync(string what, int n, Func<int, Task> run)
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

    public static double Median(List<double> values)
    {
        var v = values.Order().ToList();
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    /// <summary>utime+stime+cutime+cstime of a process (default this one) from /proc/PID/stat (clock ticks of 1/100 s): its CPU and its waited-for children's.</summary>
    public static double CpuSeconds(string pid = "self")
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14])) / 100.0;
    }

    /// <summary>Runs a program to its end; its output is kept and shown only if it fails.</summary>
    public static async Task RunAsync(string program, string[] argv, Dictionary<string, string> env, TimeSpan? timeout = null)
    {
        var r = await ProcessRunner.Default.RunAsync(new ProcessSpec([program, .. argv]) { Environment = env, OkExitCodes = Enumerable.Range(0, 256).ToArray(), CaptureStdout = true, Timeout = timeout ?? TimeSpan.FromMinutes(2) });
        if (r.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({r.ExitCode}): {r.Stdout}\n{string.Join("\n", r.StderrTail)}");
    }
}
