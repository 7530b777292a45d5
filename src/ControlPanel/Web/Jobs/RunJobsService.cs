using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Runs;

namespace ControlPanel.Web.Jobs;

/// <summary>
/// The panel's Hangfire server with its recurring jobs (<see cref="RecurringJobs"/>). Before it takes jobs, the runs
/// the panel was executing when it last stopped (killed or shut down) are resumed from their stage, and runs queued for
/// it are queued again. All of this starts once the panel listens: none of it holds back the first answer. On shutdown
/// its runs end Interrupted, to be resumed at the next start. A node of a panel on PostgreSQL also looks every few
/// seconds for runs whose node died (their host lock free under a run left Running) and resumes them, and for batches
/// whose executing node died while hosts still wait, which it executes from then on.
/// </summary>
public sealed class RunJobsService(RunEngine engine, IHostFactory hosts, IHostApplicationLifetime lifetime, StartupPhases phases, ILogger<RunJobsService> log) : IHostedService
{
    /// <summary>With the lock's own ~25 s to notice a vanished node, a dead node's run resumes within about 30 s.</summary>
    static readonly TimeSpan TakeOverEvery = TimeSpan.FromSeconds(3);

    Task started = Task.CompletedTask;
    Task takeOver = Task.CompletedTask;
    readonly CancellationTokenSource stopping = new();

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
            if (DatabaseLocation.Of(engine.Options.DataDirectory).IsPostgres) takeOver = TakeOverLoopAsync();
        }
        catch (Exception e)
        {
            log.LogCritical(e, "the job server did not start: runs are not executed; restart the panel");
        }
    }

    async Task TakeOverLoopAsync()
    {
        using var timer = new PeriodicTimer(TakeOverEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    var resumed = await engine.ResumeStoppedPanelRunsAsync("panel");
                    if (resumed.Count > 0) log.LogWarning("runs of a node that stopped, resumed here: {Runs}", string.Join(", ", resumed));
                    var adopted = await engine.Fleet.AdoptOrphanedAsync();
                    if (adopted.Count > 0) log.LogWarning("batches of a node that stopped, executed here now: {Batches}", string.Join(", ", adopted));
                }
                // The database away for a moment: the next tick looks again.
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "looking for runs of stopped nodes failed"); }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await started;
        await stopping.CancelAsync();
        await takeOver;
        await Queue.StopAsync();
    }
}
