using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Runs;

namespace ControlPanel.Web.Jobs;

/// <summary>
/// The panel's Hangfire server with its recurring jobs (<see cref="RecurringJobs"/>). Before it takes jobs, the runs
/// the panel was executing when it last stopped (killed or shut down) are resumed from their stage, and runs queued for
/// it are queued again. On shutdown its runs end Interrupted, to be resumed at the next start.
/// </summary>
public sealed class RunJobsService(RunEngine engine, IHostFactory hosts, ILogger<RunJobsService> log) : IHostedService
{
    HangfireRunQueue Queue => (HangfireRunQueue)engine.Queue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The panel shows runs whichever process executes them.
        engine.News.WatchOtherProcesses();
        var resumed = await engine.ResumeAfterPanelStopAsync("panel");
        if (resumed.Count > 0) log.LogWarning("runs interrupted when the panel stopped, resumed: {Runs}", string.Join(", ", resumed));
        await RecurringJobs.RegisterAsync(Queue, engine, hosts);
        Queue.Start();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Queue.StopAsync();
}
