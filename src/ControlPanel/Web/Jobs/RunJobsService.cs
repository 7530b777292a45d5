using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Runs;

namespace ControlPanel.Web.Jobs;

/// <summary>
/// The panel's Hangfire server with its recurring jobs (<see cref="RecurringJobs"/>). Before it takes jobs, the runs
/// the panel was executing when it last stopped (killed or shut down) are resumed from their stage, and runs queued for
/// it are queued again. All of this starts once the panel listens: none of it holds back the first answer. On shutdown
/// its runs end Interrupted, to be resumed at the next start.
/// </summary>
public sealed class RunJobsService(RunEngine engine, IHostFactory hosts, IHostApplicationLifetime lifetime, StartupPhases phases, ILogger<RunJobsService> log) : IHostedService
{
    Task started = Task.CompletedTask;

    HangfireRunQueue Queue => (HangfireRunQueue)engine.Queue;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The panel shows runs whichever process executes them.
        engine.News.WatchOtherProcesses();
        // After the first answer, or a second without one: on two cores its start (0.4 s of CPU) would share them with
        // the first request's cold code, and a run resumed a second later loses nothing.
        lifetime.ApplicationStarted.Register(() => started = Task.Run(async () =>
        {
            await Task.WhenAny(phases.FirstAnswer, Task.Delay(TimeSpan.FromSeconds(1)));
            await StartJobsAsync();
        }));
        return Task.CompletedTask;
    }

    async Task StartJobsAsync()
    {
        try
        {
            var resumed = await engine.ResumeAfterPanelStopAsync("panel");
            if (resumed.Count > 0) log.LogWarning("runs interrupted when the panel stopped, resumed: {Runs}", string.Join(", ", resumed));
            await RecurringJobs.RegisterAsync(Queue, engine, hosts);
            Queue.Start();
            phases.End("job server");
            log.LogInformation("Job server running {Total:0} ms after the process started: {Phases}", phases.Total.TotalMilliseconds, phases);
        }
        catch (Exception e)
        {
            log.LogCritical(e, "the job server did not start: runs are not executed; restart the panel");
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await started;
        await Queue.StopAsync();
    }
}
