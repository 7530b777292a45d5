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
    public async Task Awkward_arguments_survive_the_trip_to_the_child_unchanged()
    {
        // CliWrap joins the argv into one escaped string that .NET splits again; every argument must come back whole.
        string[] args = ["", " ", "two words", "tab\there", "new\nline", "\"quoted\"", "'single'", "back\\slash",
            "trailing\\", "\\\"", "\\\\\"x", "$HOME", "*", "ünïcødé", "--", "-n"];
        var result = await runner.RunAsync(new ProcessSpec(["printf", "[%s]\n", .. args]) { CaptureStdout = true });
        Assert.Equal(string.Concat(args.Select(a => $"[{a}]\n")), result.Stdout);
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
    public async Task A_child_that_does_not_read_its_stdin_is_not_a_failure()
    {
        var result = await runner.RunAsync(new ProcessSpec(["true"]) { Stdin = new byte[4 << 20] });
        Assert.Equal(0, result.ExitCode);
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
    public async Task Cancellation_kills_a_grandchild_that_ignores_SIGTERM()
    {
        using var tmp = new Support.TempDir();
        var pidFile = tmp.Sub("grandchild.pid");
        using var cts = new CancellationTokenSource();
        var task = runner.RunAsync(new ProcessSpec(["sh", "-c", $"trap '' TERM; sleep 300 & echo $! > {pidFile}; wait"]), cts.Token);
        var grandchild = await ReadPid(pidFile);
        await runner.RunAsync(ProcessSpec.Of("kill", "-TERM", grandchild.ToString()));
        await Task.Delay(300);
        Assert.True(Runs(grandchild), "the grandchild should have ignored SIGTERM");

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        await WaitGone(grandchild);
    }

    [Fact]
    public async Task Cancellation_kills_a_double_forked_grandchild_that_left_the_tree_but_not_the_group()
    {
        using var tmp = new Support.TempDir();
        var childFile = tmp.Sub("child.pid");
        var pidFile = tmp.Sub("grandchild.pid");
        // The subshell exits before the pid is published, so the grandchild is re-parented away from the child.
        var script = $"echo $$ > {childFile}; (sleep 300 & echo $! > {pidFile}.tmp); mv {pidFile}.tmp {pidFile}; sleep 300";
        using var cts = new CancellationTokenSource();
        var task = runner.RunAsync(new ProcessSpec(["sh", "-c", script]), cts.Token);
        var grandchild = await ReadPid(pidFile);
        var child = await ReadPid(childFile);
        var (parent, group) = ParentAndGroup(grandchild);
        Assert.NotEqual(child, parent);
        Assert.Equal(child, group);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        await WaitGone(grandchild);
    }

    [Fact]
    public async Task An_escaped_grandchild_holding_the_pipes_does_not_keep_the_run_waiting()
    {
        using var tmp = new Support.TempDir();
        var pidFile = tmp.Sub("grandchild.pid");
        // The grandchild inherits stdout and stderr and outlives the child by far.
        var script = $"(sleep 300 & echo $! > {pidFile}); echo written before exit; echo err before exit >&2; exit 3";
        try
        {
            var e = await Assert.ThrowsAsync<CommandFailedException>(() =>
                runner.RunAsync(new ProcessSpec(["sh", "-c", script]) { CaptureStdout = true }).WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Equal(3, e.ExitCode);
            Assert.Equal(["err before exit"], e.StderrTail);
            Assert.True(Runs(await ReadPid(pidFile)), "the grandchild should still hold the pipes");
        }
        finally
        {
            if (File.Exists(pidFile)) await runner.RunAsync(ProcessSpec.Of("kill", "-KILL", File.ReadAllText(pidFile).Trim()) with { OkExitCodes = [0, 1] });
        }
    }

    [Fact]
    public async Task Output_written_before_exit_is_complete_even_when_an_escaped_grandchild_holds_the_pipe()
    {
        using var tmp = new Support.TempDir();
        var pidFile = tmp.Sub("grandchild.pid");
        var script = $"(sleep 300 & echo $! > {pidFile}); seq 1 20000";
        try
        {
            var result = await runner.RunAsync(new ProcessSpec(["sh", "-c", script]) { CaptureStdout = true }).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(string.Concat(Enumerable.Range(1, 20000).Select(n => $"{n}\n")), result.Stdout);
        }
        finally
        {
            if (File.Exists(pidFile)) await runner.RunAsync(ProcessSpec.Of("kill", "-KILL", File.ReadAllText(pidFile).Trim()) with { OkExitCodes = [0, 1] });
        }
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

    static async Task<int> ReadPid(string path)
    {
        for (var i = 0; i < 600; i++)
        {
            if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid)) return pid;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{path} was never written");
    }

    static string[] Stat(int pid)
    {
        // comm, in parentheses, may hold spaces: the fields after it are state, ppid, pgrp.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    static bool Runs(int pid)
    {
        try { return Stat(pid)[0] != "Z"; }
        catch (IOException) { return false; }
    }

    static (int Parent, int Group) ParentAndGroup(int pid) => (int.Parse(Stat(pid)[1]), int.Parse(Stat(pid)[2]));

    static async Task WaitGone(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            // A killed process may linger as a zombie until reaped (an orphan's new parent may never reap it): that
            // no longer runs anything, though kill -0 would still find it.
            if (!Runs(pid)) return;
            await Task.Delay(50);
        }
        Assert.Fail($"process {pid} still runs");
    }
}
