using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;

namespace ControlPanel.TestPeers;

/// <summary>
/// Engines as the product builds them (runs are Hangfire jobs in DATA/jobs.db), one job queue each, stopped together
/// at the end of a test: a Hangfire server left running would hold the test's data directory open.
/// </summary>
public sealed class TestEngines : IAsyncDisposable
{
    readonly List<RunEngine> engines = [];

    public RunEngine Create(EngineOptions options, IPlanFactory plans, LogHub? hub = null, IHostFactory? hosts = null, JobOptions? jobs = null)
    {
        var engine = HangfireRunQueue.CreateEngine(options, plans, hosts ?? new HostFactory(new SshOptions()), hub ?? new LogHub(),
            jobs ?? new JobOptions { Workers = 8 });
        lock (engines) engines.Add(engine);
        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        List<RunEngine> all;
        lock (engines) all = [.. engines];
        foreach (var engine in all) await engine.DisposeAsync();
    }
}
