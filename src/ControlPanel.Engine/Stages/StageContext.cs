using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Stages;

/// <summary>
/// What a stage gets to work with: the host, its log, the data directory, and cancellation (its request's part came with
/// the stage); in a run also the watch that says what a quiet stage is waiting for.
/// </summary>
public sealed class StageContext(IHost host, IStageLog log, string dataDirectory, CancellationToken cancellation, QuietWatch? quiet = null)
{
    public IHost Host => host;
    public IStageLog Log => log;
    public string DataDirectory => dataDirectory;
    public CancellationToken Cancellation => cancellation;
    public bool DryRun => host is DryRunHost;

    /// <summary>Runs a command that changes the host; its output goes to the stage log line by line.</summary>
    public Task<ProcessResult> RunAsync(params string[] argv) => RunAsync(new ProcessSpec(argv));

    /// <param name="whileQuiet">What is known of why the command is quiet, asked when it has been (who holds a lock).</param>
    public async Task<ProcessResult> RunAsync(ProcessSpec command, Func<Task<string?>>? whileQuiet = null)
    {
        if (!command.ReadOnly) log.Info("$ " + ArgvFormat.Display(command.Argv));
        var streamed = command with { OnLine = command.OnLine ?? log.Output };
        using var waiting = WaitingFor(Describe(command.Argv), whileQuiet);
        return await host.RunAsync(streamed, cancellation);
    }

    /// <summary>Runs a read-only command and returns its result whatever the exit code (checks decide what it means).</summary>
    public async Task<ProcessResult> ProbeAsync(params string[] argv)
    {
        using var waiting = WaitingFor(Describe(argv));
        return await host.RunAsync(ProcessSpec.Probe(argv) with { OkExitCodes = AnyExitCode, Timeout = TimeSpan.FromMinutes(1) }, cancellation);
    }

    /// <summary>
    /// Independent work on the host side by side (questions, or commands on different objects), the results in the
    /// order given: over SSH each is a round trip, on a slow host a tenth of a second or more. A few at a time: sshd
    /// takes ten sessions per connection (another of ours may share it: the panel's host card), and past that ssh makes
    /// a connection of its own for the command, a full handshake.
    /// </summary>
    public async Task<T[]> AtOnceAsync<T>(params Func<Task<T>>[] work)
    {
        using var lanes = new SemaphoreSlim(AtOnce);
        return await Task.WhenAll(work.Select(async ask =>
        {
            await lanes.WaitAsync(cancellation);
            try { return await ask(); }
            finally { lanes.Release(); }
        }));
    }

    /// <summary>As above, for work that answers nothing (commands).</summary>
    public Task AtOnceAsync(IEnumerable<Func<Task>> work) =>
        AtOnceAsync([.. work.Select<Func<Task>, Func<Task<bool>>>(w => async () => { await w(); return true; })]);

    public const int AtOnce = 4;

    /// <summary>
    /// Marks what the stage is waiting for (a service to answer, a download) until the handle is disposed: a stage that
    /// goes quiet meanwhile says so in its log.
    /// </summary>
    public IDisposable WaitingFor(string what, Func<Task<string?>>? explain = null) => quiet?.Enter(what, explain) ?? NotWatched.Instance;

    /// <summary>A progress line (a download's bytes): shown beside the stage while it is the stage's latest word.</summary>
    public void Progress(string message) => log.Progress(message);

    /// <summary>A command as a quiet line names it: short, and where it runs when that is another machine.</summary>
    string Describe(IReadOnlyList<string> argv)
    {
        var shown = ArgvFormat.Display(argv);
        if (shown.Length > 80) shown = shown[..77] + "...";
        return $"`{shown}`" + (host is SshHost ? $" on {host.Key} over SSH" : "");
    }

    sealed class NotWatched : IDisposable
    {
        public static readonly NotWatched Instance = new();
        public void Dispose() { }
    }

    public async Task<FileChange> WriteFileAsync(FileSpec file)
    {
        var change = await host.WriteFileAsync(file, cancellation);
        if (change.Changed) log.Info(change.Summary);
        return change;
    }

    public Task<string?> ReadFileAsync(string path) => host.ReadFileAsync(path, cancellation);

    public async Task<FileChange> DeleteFileAsync(string path)
    {
        var change = await host.DeleteFileAsync(path, cancellation);
        if (change.Changed) log.Info(change.Summary);
        return change;
    }

    static readonly int[] AnyExitCode = Enumerable.Range(0, 256).ToArray();
}
