using ControlPanel.Engine.Runs;
using Hangfire;

namespace ControlPanel.Engine.Jobs;

/// <summary>
/// The Hangfire job that hands a recorded batch to the process serving its queue (a CLI's `--detach` to the panel):
/// that process becomes the batch's executor and returns; the batch's hosts run as jobs of their own, on any node.
/// Never retried: a batch that another process already executes is left to it.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class BatchJob(RunEngine engine)
{
    [JobDisplayName("{0}")]
    public Task ExecuteAsync(string title, long batchId) => engine.Fleet.TakeOverAsync(batchId);
}
