using System.Runtime.InteropServices;
using System.Text;
using CliWrap;

namespace ControlPanel.Engine.Processes;

/// <summary>
/// Runs one program from an argv array through CliWrap and streams its output line by line.
/// CliWrap kills only the process tree it can see; a grandchild that double-forked away from it would survive.
/// So each child starts as the leader of a new session (util-linux <c>setsid</c>), and a timeout or a cancellation
/// also kills that whole process group.
/// </summary>
public sealed class ProcessRunner
{
    public const int StderrTailLines = 20;
    // A grandchild that escaped the tree may keep our pipes open after the child exits, and CliWrap waits for
    // the pipes to close; don't wait for it forever. By the time the child exits, at most a pipe buffer of
    // output is still unread, so this is ample to drain it.
    static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(3);

    public static ProcessRunner Default { get; } = new();

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var stdout = spec.CaptureStdout ? new StringBuilder() : null;
        var tail = new Queue<string>();
        var gate = new object();
        // One lock across both streams: OnLine sees one line at a time, in order within each stream.
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

        using var drainOver = new CancellationTokenSource();
        var command = Cli.Wrap("setsid")
            .WithArguments(spec.Argv)
            .WithStandardInputPipe(spec.Stdin is { } stdin ? PipeSource.FromBytes(stdin) : PipeSource.Null)
            .WithStandardOutputPipe(Lines(OutputStream.Out, Emit, drainOver.Token))
            .WithStandardErrorPipe(Lines(OutputStream.Err, Emit, drainOver.Token))
            .WithValidation(CommandResultValidation.None);
        if (spec.Environment is { } variables)
            command = command.WithEnvironmentVariables(env => { foreach (var (name, value) in variables) env.Set(name, value); });
        if (spec.WorkingDirectory is not null) command = command.WithWorkingDirectory(spec.WorkingDirectory);

        using var timeout = new CancellationTokenSource(spec.Timeout ?? Timeout.InfiniteTimeSpan);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // CliWrap's task ends only when the pipes close, so the process itself tells when the child has exited
        // and the grace for draining them starts.
        var exited = Task.CompletedTask;
        var run = command.ExecuteAsync(null, p => exited = p.WaitForExitAsync(), stop.Token);
        CommandResult result;
        try
        {
            // CliWrap kills the tree it can see on the same token; this reaches what left the tree but not the group.
            using (stop.Token.Register(() => KillGroup(run.ProcessId)))
            {
                await Task.WhenAny(run.Task, exited);
                drainOver.CancelAfter(DrainGrace);
                result = await run;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                throw new CommandTimeoutException(spec.Argv, spec.Timeout!.Value);
            throw new OperationCanceledException($"`{ArgvFormat.Display(spec.Argv)}` was cancelled", cancellationToken);
        }

        string[] stderrTail;
        lock (gate) stderrTail = tail.ToArray();
        if (!spec.OkExitCodes.Contains(result.ExitCode))
            throw new CommandFailedException(spec.Argv, result.ExitCode, stderrTail);
        return new ProcessResult(result.ExitCode, stdout?.ToString() ?? "", stderrTail, result.RunTime);
    }

    /// <summary>Every line to <paramref name="emit"/> until the stream ends or, once the child has exited, the drain grace is over.</summary>
    static PipeTarget Lines(OutputStream stream, Action<OutputStream, string> emit, CancellationToken drainOver)
    {
        var lines = PipeTarget.ToDelegate(line => emit(stream, line), Encoding.UTF8);
        return PipeTarget.Create(async (pipe, cancellationToken) =>
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drainOver);
            try
            {
                await lines.CopyFromAsync(pipe, either.Token);
            }
            catch (OperationCanceledException) when (drainOver.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Only an escaped grandchild still holds the pipe: what the child wrote is in, the run is over.
            }
        });
    }

    // setsid made the child a session and group leader, so -pid addresses everything it started that stayed in
    // the group, including what left the tree (a double fork re-parents to init).
    static void KillGroup(int pid) => _ = kill(-pid, SIGKILL);

    const int SIGKILL = 9;
    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);
}
