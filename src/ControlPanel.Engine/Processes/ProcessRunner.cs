using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ControlPanel.Engine.Processes;

/// <summary>
/// Runs one program from an argv array and streams its output line by line.
/// Each child starts as the leader of a new session (util-linux <c>setsid</c>), so a timeout or a
/// cancellation can kill the whole process group, grandchildren included, not only the direct child.
/// </summary>
public sealed class ProcessRunner
{
    public const int StderrTailLines = 20;
    // A grandchild that escaped the group may keep our pipes open after the child exits; don't wait for it forever.
    static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(3);

    public static ProcessRunner Default { get; } = new();

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        foreach (var arg in spec.Argv) psi.ArgumentList.Add(arg);
        if (spec.Environment is not null)
            foreach (var (k, v) in spec.Environment) psi.Environment[k] = v;

        var started = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.Start();
        var pid = process.Id;

        var stdout = spec.CaptureStdout ? new StringBuilder() : null;
        var tail = new Queue<string>();
        var gate = new object();
        void Emit(OutputStream stream, string text)
        {
            lock (gate)
            {
                if (stream == OutputStream.Err)
                {
                    tail.Enqueue(text);
                    if (tail.Count > StderrTailLines) tail.Dequeue();
                }
                else stdout?.Append(text).Append('\n');
                spec.OnLine?.Invoke(new OutputLine(stream, text));
            }
        }

        var readOut = Pump(process.StandardOutput, OutputStream.Out, Emit);
        var readErr = Pump(process.StandardError, OutputStream.Err, Emit);
        var writeIn = FeedStdin(process, spec.Stdin);

        using var timeout = spec.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            KillGroup(pid, process);
            await process.WaitForExitAsync(CancellationToken.None);
            await Task.WhenAny(Task.WhenAll(readOut, readErr), Task.Delay(DrainGrace));
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                throw new CommandTimeoutException(spec.Argv, spec.Timeout!.Value);
            throw new OperationCanceledException($"`{ArgvFormat.Display(spec.Argv)}` was cancelled", cancellationToken);
        }
        await Task.WhenAny(Task.WhenAll(readOut, readErr, writeIn), Task.Delay(DrainGrace));

        ProcessResult result;
        lock (gate) result = new ProcessResult(process.ExitCode, stdout?.ToString() ?? "", tail.ToArray(), started.Elapsed);
        if (!spec.OkExitCodes.Contains(result.ExitCode))
            throw new CommandFailedException(spec.Argv, result.ExitCode, result.StderrTail);
        return result;
    }

    static async Task Pump(StreamReader reader, OutputStream stream, Action<OutputStream, string> emit)
    {
        while (await reader.ReadLineAsync() is { } line) emit(stream, line);
    }

    static async Task FeedStdin(Process process, byte[]? stdin)
    {
        try
        {
            if (stdin is { Length: > 0 })
                await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child exited without reading all of its input; its exit code tells the story.
        }
    }

    static void KillGroup(int pid, Process process)
    {
        // setsid made the child a session and group leader, so -pid addresses everything it started.
        _ = kill(-pid, SIGKILL);
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    const int SIGKILL = 9;
    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);
}
