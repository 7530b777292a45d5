using System.Diagnostics;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Runs;

/// <summary>SIGKILL a real engine process in the middle of a stage; after resume the end state equals an uninterrupted run's.</summary>
public class KillAndResumeTests
{
    static readonly string Harness = RepoPaths.Binary("tests/ControlPanel.EngineHarness", "ControlPanel.EngineHarness");

    [Fact]
    public async Task Killed_mid_stage_then_resumed_ends_like_an_uninterrupted_run()
    {
        using var tmp = new TempDir();
        var reference = tmp.Sub("reference");
        Directory.CreateDirectory(reference);
        Assert.Contains("Succeeded", await Run("start", tmp.Sub("data-ref"), reference, "a,b,c"));

        var work = tmp.Sub("work");
        var data = tmp.Sub("data");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "block-b"), "");
        using var victim = Start("start", data, work, "a,b,c");
        // Generous: a busy 2-core machine can take many seconds to start a .NET process and open the database.
        for (var i = 0; i < 6000 && !(File.Exists(Path.Combine(work, "applied")) && File.ReadAllText(Path.Combine(work, "applied")).Contains('b')); i++)
            await Task.Delay(20);
        victim.Kill(entireProcessTree: false);   // SIGKILL: no cleanup code runs
        await victim.WaitForExitAsync();

        long runId;
        await using (var db = ControlPanelDb.Open(data))
        {
            var run = await db.Runs.Include(r => r.Stages).SingleAsync();
            runId = run.Id;
            Assert.Equal(RunState.Running, run.State);
            Assert.Equal(RunState.Running, run.Stages.Single(s => s.Name == "b").State);
        }

        File.Delete(Path.Combine(work, "block-b"));
        var output = await Run("resume", data, runId.ToString());
        Assert.Contains("Succeeded", output);

        string[] State(string dir) => Directory.GetFiles(dir, "done-*").Select(f => Path.GetFileName(f) + "=" + File.ReadAllText(f)).Order().ToArray();
        Assert.Equal(State(reference), State(work));
        await using (var db = ControlPanelDb.Open(data))
        {
            var events = await db.RunEvents.Where(e => e.RunId == runId && e.StageIndex == null).Select(e => e.State).ToListAsync();
            Assert.Equal([RunState.Queued, RunState.Running, RunState.Interrupted, RunState.Queued, RunState.Running, RunState.Succeeded], events);
        }
    }

    [Fact]
    public async Task The_panel_killed_mid_stage_resumes_the_run_from_that_stage_when_it_starts_again()
    {
        using var tmp = new TempDir();
        var work = tmp.Sub("work");
        var data = tmp.Sub("data");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "block-b"), "");
        using var panel = Start("start", data, work, "a,b,c", "panel");
        for (var i = 0; i < 6000 && !(File.Exists(Path.Combine(work, "applied")) && File.ReadAllText(Path.Combine(work, "applied")).Contains('b')); i++)
            await Task.Delay(20);
        panel.Kill(entireProcessTree: false);
        await panel.WaitForExitAsync();

        long runId;
        await using (var db = ControlPanelDb.Open(data)) runId = (await db.Runs.SingleAsync()).Id;
        // A CLI command in between finds the run dead and marks it; the panel still resumes it (it was the panel's).
        Assert.Contains("Interrupted", await Run("recover", data, runId.ToString()));
        File.Delete(Path.Combine(work, "block-b"));
        Assert.Contains("Succeeded", await Run("restart-panel", data, runId.ToString()));

        await using (var db = ControlPanelDb.Open(data))
        {
            var run = await db.Runs.Include(r => r.Stages).SingleAsync();
            Assert.Equal([1, 2, 1], run.Stages.OrderBy(s => s.Index).Select(s => s.Attempts));
            var events = await db.RunEvents.Where(e => e.RunId == runId && e.StageIndex == null).OrderBy(e => e.Id).ToListAsync();
            Assert.Equal([RunState.Queued, RunState.Running, RunState.Interrupted, RunState.Queued, RunState.Running, RunState.Succeeded], events.Select(e => e.State));
            Assert.Contains("run.panel-stopped", events[2].MessageJson);
            Assert.Contains("resume by panel", events[3].Message);
        }
    }

    static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Harness) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    static async Task<string> Run(params string[] args)
    {
        using var p = Start(args);
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }
}
