using ControlPanel.Engine.Data;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.Engine.Validation;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Runs;

/// <summary>The run engine's state machine, durability, retry, cancel and lock, with a plan of real file changes.</summary>
public class RunEngineTests : IDisposable
{
    readonly TempDir tmp = new();
    readonly TestEngines engines = new();
    readonly string data;
    readonly string work;

    public RunEngineTests()
    {
        data = tmp.Sub("data");
        work = tmp.Sub("work");
        Directory.CreateDirectory(work);
        ControlPanelDb.Migrate(data);
    }

    public void Dispose()
    {
        engines.DisposeAsync().AsTask().GetAwaiter().GetResult();
        tmp.Dispose();
    }

    RunEngine NewEngine(LogHub? hub = null, Stages.IPlanFactory? plans = null, TimeSpan? quietAfter = null) => engines.Create(
        new EngineOptions(data)
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(20), CancelPollInterval = TimeSpan.FromMilliseconds(50),
            QuietAfter = quietAfter ?? TimeSpan.FromSeconds(15),
        },
        plans ?? MarkerPlan.Catalog(), hub);

    void Control(string kind, string stage, string content = "") => File.WriteAllText(Path.Combine(work, $"{kind}-{stage}"), content);
    string[] Applied() => File.Exists(Path.Combine(work, "applied")) ? File.ReadAllLines(Path.Combine(work, "applied")) : [];

    async Task<RunRecord> Load(long id)
    {
        await using var db = ControlPanelDb.Open(data);
        return await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index)).SingleAsync(r => r.Id == id);
    }

    async Task<List<RunEventRecord>> Events(long id)
    {
        await using var db = ControlPanelDb.Open(data);
        return await db.RunEvents.AsNoTracking().Where(e => e.RunId == id).OrderBy(e => e.Id).ToListAsync();
    }

    static string SafeRead(string path)
    {
        try { return File.ReadAllText(path); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; }
    }

    static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 3000 && !condition(); i++) await Task.Delay(20);
        Assert.True(condition(), "condition not reached in 60 s");
    }

    [Fact]
    public async Task A_run_applies_every_stage_and_a_second_run_skips_them_all()
    {
        var engine = NewEngine();
        var first = await engine.StartAsync(MarkerPlan.Request(work, "a,b,c"), "local");
        Assert.Equal(RunState.Succeeded, await first.Completion);
        var run = await Load(first.RunId);
        Assert.All(run.Stages, s => Assert.Equal(RunState.Succeeded, s.State));
        Assert.All(run.Stages, s => Assert.Equal(1, s.Attempts));
        Assert.All(run.Stages, s => Assert.True(s.EndedAt >= s.StartedAt));
        Assert.Equal(["a", "b", "c"], Applied());

        var second = await engine.StartAsync(MarkerPlan.Request(work, "a,b,c"), "local");
        Assert.Equal(RunState.Succeeded, await second.Completion);
        run = await Load(second.RunId);
        Assert.All(run.Stages, s => Assert.Equal(RunState.Skipped, s.State));
        Assert.All(run.Stages, s => Assert.Contains("exists", s.CheckReason));
        Assert.Equal(3, Applied().Length);
    }

    [Fact]
    public async Task A_failed_stage_stops_the_run_and_resume_continues_from_it()
    {
        Control("fail", "b", "fatal");
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b,c"), "local");
        Assert.Equal(RunState.Failed, await handle.Completion);
        var run = await Load(handle.RunId);
        Assert.Equal([RunState.Succeeded, RunState.Failed, RunState.Queued], run.Stages.Select(s => s.State));
        Assert.Contains("broken on purpose", run.Stages[1].Error);
        Assert.StartsWith("b: ", run.Error);

        File.Delete(Path.Combine(work, "fail-b"));
        var resumed = await engine.RerunAsync(handle.RunId, RerunMode.Resume);
        Assert.Equal(RunState.Succeeded, await resumed.Completion);
        run = await Load(handle.RunId);
        Assert.Equal([1, 2, 1], run.Stages.Select(s => s.Attempts));
        Assert.Equal(2, run.Attempts);
        Assert.Equal(["a", "b", "b", "c"], Applied());
        var states = (await Events(handle.RunId)).Where(e => e.StageIndex == 1).Select(e => e.State);
        Assert.Equal([RunState.Running, RunState.Failed, RunState.Running, RunState.Succeeded], states);
    }

    [Fact]
    public async Task A_resumed_runs_time_counts_from_its_first_start_and_each_attempt_keeps_its_own()
    {
        Control("sleep", "a", "1.5");
        Control("fail", "b", "fatal");
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b,c"), "local");
        Assert.Equal(RunState.Failed, await handle.Completion);
        var first = (await Load(handle.RunId)).StartedAt;
        File.Delete(Path.Combine(work, "fail-b"));
        await Task.Delay(1000);
        Assert.Equal(RunState.Succeeded, await (await engine.RerunAsync(handle.RunId, RerunMode.Resume)).Completion);

        var run = await Load(handle.RunId);
        Assert.Equal(first, run.StartedAt);
        var times = RunTimes.Of(run, await Events(handle.RunId), DateTime.UtcNow);
        Assert.Equal(2, times.Attempts.Count);
        Assert.True(times.Attempts[0] >= TimeSpan.FromSeconds(1.5), $"attempt 1 slept 1.5 s in a, yet took {times.Attempts[0]}");
        Assert.True(times.Wall >= times.Attempts[0] + times.Attempts[1] + TimeSpan.FromSeconds(1), $"wall {times.Wall}, attempts {string.Join(" + ", times.Attempts)}");
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_backoff_up_to_the_limit()
    {
        Control("fail", "a", "transient 2");
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a"), "local");
        Assert.Equal(RunState.Succeeded, await handle.Completion);
        Assert.Equal(3, (await Load(handle.RunId)).Stages[0].Attempts);
        Assert.Equal(2, (await Events(handle.RunId)).Count(e => e.Message?.Contains("will retry") == true));

        File.Delete(Path.Combine(work, "done-a"));
        Control("fail", "a", "transient 5");
        var again = await engine.StartAsync(MarkerPlan.Request(work, "a"), "local");
        Assert.Equal(RunState.Failed, await again.Completion);
        var stage = (await Load(again.RunId)).Stages[0];
        Assert.Equal(3, stage.Attempts);
        Assert.Contains("mirror hiccup", stage.Error);
    }

    [Fact]
    public async Task Cancel_stops_a_running_command_and_marks_the_run_cancelled()
    {
        Control("sleep", "b", "60");
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b,c"), "local");
        await Until(() => Applied().Contains("b"));
        await Task.Delay(200);
        var started = DateTime.UtcNow;
        Assert.True(await engine.CancelAsync(handle.RunId));
        Assert.Equal(RunState.Cancelled, await handle.Completion);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        var run = await Load(handle.RunId);
        Assert.Equal([RunState.Succeeded, RunState.Cancelled, RunState.Queued], run.Stages.Select(s => s.State));
        Assert.DoesNotContain(Directory.GetDirectories("/proc"), d => File.Exists(d + "/cmdline") && SafeRead(d + "/cmdline") == "sleep\060\0");
    }

    [Fact]
    public async Task A_cancel_asked_by_another_engine_on_the_same_data_reaches_the_run()
    {
        Control("block", "a");
        var executing = NewEngine();
        var handle = await executing.StartAsync(MarkerPlan.Request(work, "a"), "local");
        await Until(() => Applied().Contains("a"));
        Assert.True(await NewEngine().CancelAsync(handle.RunId));
        Assert.Equal(RunState.Cancelled, await handle.Completion);
    }

    [Fact]
    public async Task One_mutating_run_per_host_a_second_is_refused()
    {
        Control("block", "a");
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a"), "local");
        var busy = await Assert.ThrowsAsync<HostBusyException>(() => NewEngine().StartAsync(MarkerPlan.Request(work, "a"), "local"));
        Assert.Contains("local", busy.Message);
        File.Delete(Path.Combine(work, "block-a"));
        Assert.Equal(RunState.Succeeded, await handle.Completion);
        // The lock is released at the end.
        Assert.Equal(RunState.Succeeded, await (await engine.StartAsync(MarkerPlan.Request(work, "a"), "local")).Completion);
    }

    [Fact]
    public async Task A_stage_past_its_timeout_fails_and_says_so()
    {
        Control("sleep", "a", "30");
        var handle = await NewEngine().StartAsync(MarkerPlan.Request(work, "a", timeoutMs: 500), "local");
        Assert.Equal(RunState.Failed, await handle.Completion);
        Assert.Contains("timed out", (await Load(handle.RunId)).Stages[0].Error);
    }

    [Fact]
    public async Task Runs_left_running_by_a_dead_process_become_interrupted_and_resume_to_the_same_end()
    {
        // What a SIGKILLed process leaves: the run and a stage Running, no lock held.
        Control("block", "b");
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b,c"), "local");
        await Until(() => Applied().Contains("b"));
        await using (var db = ControlPanelDb.Open(data))
        {
            Assert.Equal(RunState.Running, (await db.Runs.SingleAsync(r => r.Id == handle.RunId)).State);
        }
        // While the executing engine holds the lock, recovery in another process leaves the run alone.
        Assert.Empty(await NewEngine().RecoverInterruptedAsync());
        await engine.CancelAsync(handle.RunId);
        await handle.Completion;
        await using (var db = ControlPanelDb.Open(data))
        {
            var run = await db.Runs.Include(r => r.Stages).SingleAsync(r => r.Id == handle.RunId);
            run.State = RunState.Running;
            run.Stages.Single(s => s.Index == 1).State = RunState.Running;
            await db.SaveChangesAsync();
        }

        Assert.Equal([handle.RunId], await NewEngine().RecoverInterruptedAsync());
        var interrupted = await Load(handle.RunId);
        Assert.Equal(RunState.Interrupted, interrupted.State);
        Assert.Equal(RunState.Interrupted, interrupted.Stages[1].State);

        File.Delete(Path.Combine(work, "block-b"));
        var resumed = await NewEngine().RerunAsync(handle.RunId, RerunMode.Resume);
        Assert.Equal(RunState.Succeeded, await resumed.Completion);
        Assert.All(new[] { "a", "b", "c" }, n => Assert.True(File.Exists(Path.Combine(work, "done-" + n))));
        Assert.Equal(["a", "b", "b", "c"], Applied());
    }

    [Fact]
    public async Task Rerun_from_a_stage_and_rerun_one_stage()
    {
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b,c"), "local");
        await handle.Completion;
        File.Delete(Path.Combine(work, "done-b"));
        File.Delete(Path.Combine(work, "done-c"));

        var only = await engine.RerunAsync(handle.RunId, RerunMode.Only, "b");
        Assert.Equal(RunState.Succeeded, await only.Completion);
        Assert.Equal(["a", "b", "c", "b"], Applied());

        var from = await engine.RerunAsync(handle.RunId, RerunMode.From, "b");
        Assert.Equal(RunState.Succeeded, await from.Completion);
        var run = await Load(handle.RunId);
        // b was done again (skipped: its check holds), c was applied.
        Assert.Equal([RunState.Succeeded, RunState.Skipped, RunState.Succeeded], run.Stages.Select(s => s.State));
        Assert.Equal(["a", "b", "c", "b", "c"], Applied());

        var bad = await Assert.ThrowsAsync<ControlPanel.Engine.Validation.InputException>(() => engine.RerunAsync(handle.RunId, RerunMode.Only, "nope"));
        Assert.StartsWith("stage: \"nope\" is not a stage", bad.Message);
    }

    [Fact]
    public async Task After_a_one_stage_rerun_the_run_is_what_its_stages_are()
    {
        var engine = NewEngine();
        Control("fail", "c", "fatal");
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b,c"), "local");
        Assert.Equal(RunState.Failed, await handle.Completion);

        // b alone again: it succeeds, but c's failure still stands, so the run is still Failed, for c.
        File.Delete(Path.Combine(work, "done-b"));
        Assert.Equal(RunState.Failed, await (await engine.RerunAsync(handle.RunId, RerunMode.Only, "b")).Completion);
        var run = await Load(handle.RunId);
        Assert.Equal([RunState.Succeeded, RunState.Succeeded, RunState.Failed], run.Stages.Select(s => s.State));
        Assert.StartsWith("c: ", run.Error);
        Assert.Contains("broken on purpose", run.Error);

        // c alone, fixed: every stage done, the run Succeeded, without a resume.
        File.Delete(Path.Combine(work, "fail-c"));
        Assert.Equal(RunState.Succeeded, await (await engine.RerunAsync(handle.RunId, RerunMode.Only, "c")).Completion);
        Assert.Null((await Load(handle.RunId)).Error);
    }

    [Fact]
    public async Task Logs_are_persisted_per_stage_streamed_live_and_never_hold_secrets()
    {
        const string secret = "s3cret-Pa55word";
        Control("lines", "a", "5000");
        Control("secret", "b");
        var hub = new LogHub();
        var engine = NewEngine(hub);
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b", secret), "local");
        using var live = hub.Subscribe(handle.RunId);
        Assert.Equal(RunState.Succeeded, await handle.Completion);

        var stored = engine.Logs.Read(handle.RunId).ToList();
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(e => e.Seq));
        Assert.Equal(5000, stored.Count(e => e.StageIndex == 0 && e.Kind == LogKind.Out));
        Assert.Contains(stored, e => e.Text == "the password is " + SecretMasker.Mask);
        Assert.DoesNotContain(stored, e => e.Text.Contains(secret));
        foreach (var file in Directory.GetFiles(engine.Logs.RunDirectory(handle.RunId)))
            Assert.DoesNotContain(secret, await File.ReadAllTextAsync(file));

        var received = new List<LogEntry>();
        while (live.Reader.TryRead(out var e)) received.Add(e);
        // Subscribed just after start: whatever arrived live is a gapless tail of the stored log.
        Assert.NotEmpty(received);
        Assert.Equal(stored.TakeLast(received.Count).Select(e => e.Seq), received.Select(e => e.Seq));

        var run = await Load(handle.RunId);
        Assert.Equal(stored.Count(e => e.StageIndex == 0), run.Stages[0].LogLines);
        Assert.True(File.Exists(run.Stages[0].LogFile));
    }

    [Fact]
    public async Task A_quiet_stage_says_what_it_waits_for_and_since_when_and_a_chatty_one_never_does()
    {
        var engine = NewEngine(quietAfter: TimeSpan.FromMilliseconds(400));
        Control("sleep", "a", "2.5");
        Control("lines", "b", "50");
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b"), "local");
        Assert.Equal(RunState.Succeeded, await handle.Completion);

        var quiet = engine.Logs.Read(handle.RunId, 0).Where(e => e.Kind == LogKind.Progress).ToList();
        Assert.InRange(quiet.Count, 2, 8);
        // While the command runs, the line names it; in the moment between its end and the stage's, only the silence.
        Assert.All(quiet, e => Assert.Matches(@"^no output for \d+ s(: waiting for `sleep 2\.5` since \d\d:\d\d:\d\d \(\d+ s\))?$", e.Text));
        Assert.True(quiet.Count(e => e.Text.Contains("waiting for `sleep 2.5`")) >= 2, string.Join("\n", quiet.Select(e => e.Text)));
        // Each quiet stretch is counted from the last line, the quiet line included: no burst of them.
        Assert.All(quiet.Zip(quiet.Skip(1)), p => Assert.True(p.Second.At - p.First.At >= TimeSpan.FromMilliseconds(350), $"{p.First.At:O} then {p.Second.At:O}"));
        Assert.DoesNotContain(engine.Logs.Read(handle.RunId, 1), e => e.Kind == LogKind.Progress);
    }

    [Fact]
    public async Task A_stage_waiting_for_a_lock_names_the_process_that_holds_it()
    {
        var lockFile = Path.Combine(work, "dpkg-lock");
        File.WriteAllText(lockFile, "");
        using var holder = System.Diagnostics.Process.Start("flock", [lockFile, "sleep", "60"]);
        await Until(() => File.ReadAllText("/proc/locks").Contains($" {holder.Id} "));
        var engine = NewEngine(quietAfter: TimeSpan.FromMilliseconds(300));
        Control("lockwait", "a", lockFile);
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a"), "local");

        await Until(() => engine.Logs.Read(handle.RunId, 0).Any(e => e.Kind == LogKind.Progress && e.Text.Contains("held by")));
        var line = engine.Logs.Read(handle.RunId, 0).First(e => e.Kind == LogKind.Progress && e.Text.Contains("held by")).Text;
        Assert.Contains($"waiting for `flock {lockFile} true`", line);
        Assert.EndsWith($"; held by process {holder.Id} (flock)", line);
        Assert.False(handle.Completion.IsCompleted);

        holder.Kill(entireProcessTree: true);
        Assert.Equal(RunState.Succeeded, await handle.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Sequence_numbers_continue_after_a_resume()
    {
        Control("fail", "a", "fatal");
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a"), "local");
        await handle.Completion;
        var before = engine.Logs.LastSeq(handle.RunId);
        File.Delete(Path.Combine(work, "fail-a"));
        await (await NewEngine().RerunAsync(handle.RunId, RerunMode.Resume)).Completion;
        var all = engine.Logs.Read(handle.RunId).Select(e => e.Seq).ToList();
        Assert.True(all.Count > before);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all);
    }

    [Fact]
    public async Task Progress_json_keeps_panel_sh_shape()
    {
        Control("fail", "b", "fatal");
        var handle = await NewEngine().StartAsync(MarkerPlan.Request(work, "a,b"), "local");
        await handle.Completion;
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(data, "h5", "progress.json"))).RootElement;
        Assert.Equal(1, json.GetProperty("code").GetInt32());
        Assert.Equal("Marker b error", json.GetProperty("message").GetString());
        Assert.Equal("Marker b", json.GetProperty("data").GetProperty("installType").GetString());
        Assert.Equal(50, json.GetProperty("data").GetProperty("progress").GetInt32());
        Assert.Contains("[installType][Marker a]", File.ReadAllText(Path.Combine(data, "h5", "access.log")));
        Assert.Contains("Marker b error", File.ReadAllText(Path.Combine(data, "h5", "installErr.log")));
    }

    [Fact]
    public async Task Delete_removes_the_run_its_logs_and_secrets()
    {
        var engine = NewEngine();
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a", "password123"), "local");
        await handle.Completion;
        Assert.True(File.Exists(Path.Combine(data, "secrets", $"run-{handle.RunId}.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "secrets", $"run-{handle.RunId}.json")));
        await engine.DeleteAsync(handle.RunId);
        await using var db = ControlPanelDb.Open(data);
        Assert.False(await db.Runs.AnyAsync(r => r.Id == handle.RunId));
        Assert.False(Directory.Exists(engine.Logs.RunDirectory(handle.RunId)));
        Assert.False(File.Exists(Path.Combine(data, "secrets", $"run-{handle.RunId}.json")));
    }

    /// <summary>The marker plans under another name, as a process started with other plans (the real ones, or a fixture's) has them.</summary>
    static PlanCatalog Impostor() => new PlanCatalog("fixture:/elsewhere").Add(MarkerPlan.Kind, MarkerPlan.MarkerRequest.From, r => MarkerPlan.Catalog().Create(r));

    [Fact]
    public async Task A_rerun_by_an_engine_with_other_plans_is_refused_and_changes_nothing_and_the_same_plans_resume_it()
    {
        File.WriteAllText(Path.Combine(work, "fail-b"), "fatal");
        var handle = await NewEngine().StartAsync(MarkerPlan.Request(work, "a,b"), "local");
        Assert.Equal(RunState.Failed, await handle.Completion);
        Assert.Equal(MarkerPlan.Kind, await RunEngine.CatalogOfRunAsync(data, handle.RunId));
        File.Delete(Path.Combine(work, "fail-b"));

        var refused = await Assert.ThrowsAsync<InputException>(() => NewEngine(plans: Impostor()).RerunAsync(handle.RunId, RerunMode.Resume));
        Assert.Equal("RUN_ID", refused.Field);
        Assert.Contains("was started with the plans \"marker\", which this process does not have (it has \"fixture:/elsewhere\")", refused.Message);
        await using (var db = ControlPanelDb.Open(data))
        {
            var run = await db.Runs.Include(r => r.Stages).SingleAsync(r => r.Id == handle.RunId);
            Assert.Equal((RunState.Failed, 1), (run.State, run.Attempts));
            Assert.Equal(RunState.Failed, run.Stages.Single(s => s.Name == "b").State);
        }
        Assert.False(File.Exists(Path.Combine(work, "done-b")));

        var resumed = await NewEngine().RerunAsync(handle.RunId, RerunMode.Resume);
        Assert.Equal(RunState.Succeeded, await resumed.Completion);
        Assert.True(File.Exists(Path.Combine(work, "done-b")));
    }

    [Fact]
    public async Task A_run_of_an_unknown_id_has_no_catalog()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => RunEngine.CatalogOfRunAsync(data, 42));
    }
}
