using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Stages;

/// <summary>What a stage gets to work with: the host, its log, the data directory, and cancellation (its request's part came with the stage).</summary>
public sealed class StageContext(IHost host, IStageLog log, string dataDirectory, CancellationToken cancellation)
{
    public IHost Host => host;
    public IStageLog Log => log;
    public string DataDirectory => dataDirectory;
    public CancellationToken Cancellation => cancellation;
    public bool DryRun => host is DryRunHost;

    /// <summary>Runs a command that changes the host; its output goes to the stage log line by line.</summary>
    public Task<ProcessResult> RunAsync(params string[] argv) => RunAsync(new ProcessSpec(argv));

    public async Task<ProcessResult> RunAsync(ProcessSpec command)
    {
        if (!command.ReadOnly) log.Info("$ " + ArgvFormat.Display(command.Argv));
        var streamed = command with { OnLine = command.OnLine ?? log.Output };
        return await host.RunAsync(streamed, cancellation);
    }

    /// <summary>Runs a read-only command and returns its result whatever the exit code (checks decide what it means).</summary>
    public Task<ProcessResult> ProbeAsync(params string[] argv) =>
        host.RunAsync(ProcessSpec.Probe(argv) with { OkExitCodes = AnyExitCode, Timeout = TimeSpan.FromMinutes(1) }, cancellation);

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
