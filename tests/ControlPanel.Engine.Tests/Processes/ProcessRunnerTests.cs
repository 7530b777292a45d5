using System.Diagnostics;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Tests.Processes;

/// <summary>The process runner against real processes.</summary>
public class ProcessRunnerTests
{
    readonly ProcessRunner runner = ProcessRunner.Default;

    [Fact]
    public async Task Streams_stdout_and_stderr_lines_in_order_per_stream()
    {
        var lines = new List<OutputLine>();
        var result = await runner.RunAsync(new ProcessSpec(["sh", "-c", "echo one; echo two >&2; echo three"]) { OnLine = lines.Add, CaptureStdout = true });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["one", "three"], lines.Where(l => l.Stream == OutputStream.Out).Select(l => l.Text));
        Assert.Equal(["two"], lines.Where(l => l.Stream == OutputStream.Err).Select(l => l.Text));
        Assert.Equal("one\nthree\n", result.Stdout);
    }

    [Fact]
    public async Task Arguments_are_passed_verbatim_never_through_a_shell()
    {
        var hostile = "x; touch /tmp/cp-should-not-exist-$(id -u) `id` | cat";
        var result = await runner.RunAsync(new ProcessSpec(["printf", "%s", hostile]) { CaptureStdout = true });
        Assert.Equal(hostile + "\n", result.Stdout);
        Assert.False(File.Exists("/tmp/cp-should-not-exist-0"));
    }

    [Fact]
    public async Task Stdin_environment_and_working_directory_reach_the_child()
    {
        var result = await runner.RunAsync(new ProcessSpec(["sh", "-c", "cat; echo \"$CP_TEST_VAR\"; pwd"])
        {
            Stdin = "from stdin\n"u8.ToArray(),
            Environment = new Dictionary<string, string> { ["CP_TEST_VAR"] = "from env" },
            WorkingDirectory = "/usr",
            CaptureStdout = true,
        });
        Assert.Equal("from stdin\nfrom env\n/usr\n", result.Stdout);
    }

    [Fact]
    public async Task A_failing_command_throws_with_exit_code_and_the_last_stderr_lines()
    {
        var e = await Assert.ThrowsAsync<CommandFailedException>(() =>
            runner.RunAsync(ProcessSpec.Of("sh", "-c", "for i in $(seq 1 50); do echo err$i >&2; done; exit 7")));
        Assert.Equal(7, e.ExitCode);
        Assert.Equal(ProcessRunner.StderrTailLines, e.StderrTail.Count);
        Assert.Equal("err50", e.StderrTail[^1]);
        Assert.Contains("exited with code 7", e.Message);
        Assert.Contains("err50", e.Message);
        Assert.DoesNotContain("err30\n", e.Message);
    }

    [Fact]
    public async Task Ok_exit_codes_are_not_failures()
    {
        var result = await runner.RunAsync(ProcessSpec.Of("sh", "-c", "exit 3") with { OkExitCodes = [0, 3] });
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task A_missing_program_fails_clearly()
    {
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => runner.RunAsync(ProcessSpec.Of("no-such-program-cp")));
        Assert.Contains("no-such-program-cp", e.Message);
    }

    [Fact]
    public async Task Timeout_kills_the_whole_process_tree_including_grandchildren()
    {
        using var tmp = new Support.TempDir();
        var pidFile = tmp.Sub("grandchild.pid");
        // The grandchild is a background sleep that would outlive a naive kill of the direct child.
        var spec = new ProcessSpec(["sh", "-c", $"sleep 300 & echo $! > {pidFile}; wait"]) { Timeout = TimeSpan.FromSeconds(1) };
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<CommandTimeoutException>(() => runner.RunAsync(spec));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim());
        await WaitGone(grandchild);
    }

    [Fact]
    public async Task Cancellation_kills_the_tree_and_reports_cancellation()
    {
        using var tmp = new Support.TempDir();
        var pidFile = tmp.Sub("child.pid");
        using var cts = new CancellationTokenSource();
        var task = runner.RunAsync(new ProcessSpec(["sh", "-c", $"sleep 300 & echo $! > {pidFile}; wait"]), cts.Token);
        while (!File.Exists(pidFile) || File.ReadAllText(pidFile).Trim().Length == 0) await Task.Delay(20);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        await WaitGone(int.Parse(File.ReadAllText(pidFile).Trim()));
    }

    [Fact]
    public async Task Large_output_arrives_complete()
    {
        long count = 0; long lastSeen = 0; var ordered = true;
        var result = await runner.RunAsync(new ProcessSpec(["seq", "1", "300000"])
        {
            OnLine = l => { count++; var n = long.Parse(l.Text); ordered &= n == lastSeen + 1; lastSeen = n; },
        });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(300000, count);
        Assert.True(ordered);
    }

    static async Task WaitGone(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            // A killed process may linger as a zombie until reaped; that no longer runs anything.
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Split(' ')[2] == "Z") return;
            await Task.Delay(50);
        }
        Assert.Fail($"process {pid} still runs");
    }
}
