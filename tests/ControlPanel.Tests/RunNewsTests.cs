using System.Diagnostics;
using Bunit;
using ControlPanel.Components.Controls;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.TestPeers;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Tests;

/// <summary>
/// A run's changes reach the panel by one path, the engine's news: the control a page shows a run with (TrackedRun,
/// rendered by bUnit against the real engine) follows the run from Running to Succeeded while it reads the run from
/// the database once, when it opens; also for a run another process executes.
/// </summary>
public sealed class RunNewsTests : IAsyncDisposable
{
    readonly string root = Path.Combine(Path.GetTempPath(), "cp-news-" + Guid.NewGuid().ToString("N")[..10]);
    readonly TestEngines engines = new();
    string Data => Path.Combine(root, "data");
    string Work => Path.Combine(root, "work");

    public RunNewsTests()
    {
        Directory.CreateDirectory(Work);
        ControlPanelDb.Migrate(Data);
    }

    public async ValueTask DisposeAsync()
    {
        await engines.DisposeAsync();
        try { Directory.Delete(root, true); } catch (IOException) { }
    }

    /// <summary>The reads a face makes of runs, counted.</summary>
    sealed class CountingQueries(string dataDirectory) : RunQueries(dataDirectory)
    {
        public int Reads;

        public override Task<RunDetail?> GetAsync(long runId, CancellationToken ct = default)
        {
            Interlocked.Increment(ref Reads);
            return base.GetAsync(runId, ct);
        }
    }

    static string StateOf(IRenderedComponent<TrackedRun> control) =>
        control.Find("[data-test='tracked-run']").GetAttribute("data-state") ?? "";

    [Fact]
    public async Task The_run_control_follows_a_run_of_this_process_reading_it_once()
    {
        var engine = engines.Create(new EngineOptions(Data), MarkerPlan.Catalog());
        File.WriteAllText(Path.Combine(Work, "block-b"), "");
        var handle = await engine.StartAsync(MarkerPlan.Request(Work, "a,b"), "local");
        var queries = new CountingQueries(Data);
        await using var ui = new BunitContext();
        ui.Services.AddSingleton(engine);
        ui.Services.AddSingleton<RunQueries>(queries);

        var control = ui.Render<TrackedRun>(p => p.Add(c => c.RunId, handle.RunId));
        control.WaitForAssertion(() => Assert.Equal("Running", StateOf(control)), TimeSpan.FromSeconds(30));
        File.Delete(Path.Combine(Work, "block-b"));
        control.WaitForAssertion(() => Assert.Equal("Succeeded", StateOf(control)), TimeSpan.FromSeconds(30));

        Assert.Equal(RunState.Succeeded, await handle.Completion);
        Assert.Equal(1, queries.Reads);
    }

    [Fact]
    public async Task The_run_control_follows_a_run_another_process_executes_reading_it_once()
    {
        // The panel's engine: it executes nothing here, it watches for other processes' runs.
        var engine = engines.Create(new EngineOptions(Data), MarkerPlan.Catalog());
        engine.News.WatchOtherProcesses();
        File.WriteAllText(Path.Combine(Work, "block-b"), "");
        using var cli = Harness("start", Data, Work, "a,b");
        long runId;
        for (var i = 0; ; i++)
        {
            await using var db = ControlPanelDb.Open(Data);
            if (db.Runs.Select(r => (long?)r.Id).FirstOrDefault() is { } id) { runId = id; break; }
            Assert.True(i < 600, "the other process never queued its run");
            await Task.Delay(100);
        }
        var queries = new CountingQueries(Data);
        await using var ui = new BunitContext();
        ui.Services.AddSingleton(engine);
        ui.Services.AddSingleton<RunQueries>(queries);

        var control = ui.Render<TrackedRun>(p => p.Add(c => c.RunId, runId));
        control.WaitForAssertion(() => Assert.Equal("Running", StateOf(control)), TimeSpan.FromSeconds(60));
        File.Delete(Path.Combine(Work, "block-b"));
        control.WaitForAssertion(() => Assert.Equal("Succeeded", StateOf(control)), TimeSpan.FromSeconds(60));
        await cli.WaitForExitAsync();

        Assert.Equal(1, queries.Reads);
        Assert.False(engine.IsActive(runId));
    }

    static Process Harness(params string[] args)
    {
        var psi = new ProcessStartInfo(RepoPaths.Binary("tests/ControlPanel.EngineHarness", "ControlPanel.EngineHarness"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }
}
