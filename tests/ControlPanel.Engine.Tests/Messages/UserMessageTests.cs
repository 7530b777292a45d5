using ControlPanel.Engine.Data;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Stack;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Messages;

/// <summary>Messages under stable keys render the same English as the engine wrote before, survive the database, and translate part by part.</summary>
public sealed class UserMessageTests : IDisposable
{
    readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    static readonly MessageTemplate Sample = new("test.sample", "{path} is missing; {count} left {not-a-placeholder} { }");

    [Fact]
    public void A_template_fills_its_placeholders_and_leaves_other_braces()
    {
        var m = Sample.With(("path", "/etc/x"), ("count", 3));
        Assert.Equal("/etc/x is missing; 3 left {not-a-placeholder} { }", m.Text);
        Assert.Equal("test.sample", m.Key);
        Assert.Equal(["path", "count"], MessageTemplate.PlaceholdersOf(Sample.English));
    }

    [Fact]
    public void An_argument_replaced_later_shows_in_the_English_too_and_a_stored_message_keeps_its_text()
    {
        // The panel swaps a field name for its label this way.
        var m = Sample.With(("path", "EabKid"), ("count", 3));
        var relabelled = m with { Args = new Dictionary<string, UserMessage>(m.Args) { ["path"] = UserMessage.Verbatim("EAB key id") } };
        Assert.Equal("EAB key id is missing; 3 left {not-a-placeholder} { }", relabelled.Text);
        Assert.Equal("EAB key id is missing; 3 left {not-a-placeholder} { }", relabelled.Render(_ => null));
        Assert.Equal(m.Text, UserMessage.FromJson(m.ToJson())!.Text);
    }

    [Fact]
    public void Missing_or_extra_arguments_are_a_bug_caught_at_once()
    {
        Assert.Throws<ArgumentException>(() => Sample.With(("path", "/etc/x")));
        Assert.Throws<ArgumentException>(() => Sample.With(("path", "/etc/x"), ("count", 1), ("other", 2)));
    }

    [Fact]
    public void A_translation_table_renders_by_key_and_keeps_verbatim_and_unknown_parts()
    {
        var inner = CheckReasons.Missing.With(("path", "/usr/local/bin/faasd"));
        var outer = new MessageTemplate("test.outer", "{stage}: {reason}").With(("stage", "faasd"), ("reason", inner))
            .WithDetails([UserMessage.Verbatim("E: Unable to locate package foo"), CheckReasons.NotRunning.With(("unit", "nginx"))]);
        Assert.Equal("faasd: /usr/local/bin/faasd is missing\n- E: Unable to locate package foo\n- nginx is not running", outer.Text);

        var table = new Dictionary<string, string> { ["test.outer"] = "{stage}：{reason}", ["check.missing"] = "{path} 不存在" };
        // check.not-running is not in the table: that part keeps its English; the verbatim line stays as it is.
        Assert.Equal("faasd：/usr/local/bin/faasd 不存在\n- E: Unable to locate package foo\n- nginx is not running", outer.Render(table.GetValueOrDefault));
    }

    [Fact]
    public void The_json_kept_in_the_database_gives_back_the_same_message()
    {
        var m = UserMessage.Join(", ", [UserMessage.Verbatim("debian 12"), new MessageTemplate("test.free", "{free} free").With(("free", "7.4 GiB"))]);
        var back = UserMessage.FromJson(m.ToJson());
        Assert.NotNull(back);
        Assert.Equal("debian 12, 7.4 GiB free", back.Text);
        Assert.Equal("debian 12, 可用 7.4 GiB", back.Render(k => k == "test.free" ? "可用 {free}" : null));
        Assert.Null(UserMessage.Verbatim("command output").ToJson());
        Assert.Null(UserMessage.FromJson("{not json"));
    }

    [Fact]
    public void Masking_reaches_every_argument()
    {
        var m = CheckReasons.Missing.With(("path", "/run/s3cret")).Map(t => t.Replace("s3cret", "***"));
        Assert.Equal("/run/*** is missing", m.Text);
        Assert.DoesNotContain("s3cret", m.ToJson());
    }

    [Fact]
    public void A_failed_command_keeps_its_english_message_and_verbatim_output()
    {
        var e = new CommandFailedException(["apt-get", "install", "-y", "runc"], 100, ["E: Unable to lock", "E: held"]);
        Assert.Equal("`apt-get install -y runc` exited with code 100:\nE: Unable to lock\nE: held", e.Message);
        Assert.Equal("command.failed-output", e.UserMessage.Key);
        Assert.Equal("E: Unable to lock\nE: held", e.UserMessage.Args["output"].Text);
        Assert.Null(e.UserMessage.Args["output"].Key);
        Assert.Equal("`true` exited with code 1", new CommandFailedException(["true"], 1, []).Message);
        Assert.Equal("`sleep 9` did not finish within 1.5 s and was killed", new CommandTimeoutException(["sleep", "9"], TimeSpan.FromSeconds(1.5)).Message);
    }

    [Fact]
    public async Task Preflight_failures_are_keyed_details_under_one_english_message()
    {
        var stage = new PreflightStage(GoldenPlanTests.Request("seed"), GoldenPlanTests.Services);
        var host = HostTables.FreshDebian12().On("id -u", 0, "1000\n").Without("/run/systemd/system")
            .On("ss -Htlnp", 0, "LISTEN 0 5 [::]:8081 [::]:* users:((\"python3\",pid=77,fd=3))\n");
        var e = await Assert.ThrowsAsync<StageFailedException>(() => StageChecks.Check(stage, host, GoldenPlanTests.Request("seed")));
        Assert.Equal("preflight.not-ready", e.UserMessage.Key);
        Assert.Equal(["preflight.not-root", "preflight.no-systemd", "preflight.port-taken"], e.UserMessage.Details.Select(d => d.Key));
        Assert.Equal(
            "the host is not ready:\n" +
            "- not running as root: connect as root (--host ssh://root@HOST) or run the panel with sudo\n" +
            "- systemd is not the init system (no /run/systemd/system): the stack runs as systemd services; use a systemd host, not a plain container\n" +
            "- port 8081 is taken by python3: stop it or move it to another port (the stack needs 80, 443, 8080, 8081)", e.Message);

        var ok = await StageChecks.Check(stage, HostTables.FreshDebian12(), GoldenPlanTests.Request("seed"));
        Assert.Equal("debian 12, amd64, cgroup v2, 7.4 GiB free, clock within 0 s", ok.Reason);
        Assert.Equal([null, null, null, "preflight.disk-free", "preflight.clock-within"], ok.Why.Details.Select(d => d.Key));
    }

    [Fact]
    public async Task A_run_keeps_each_message_key_beside_the_same_english_text()
    {
        var data = tmp.Sub("data");
        var work = tmp.Sub("work");
        Directory.CreateDirectory(work);
        ControlPanelDb.Migrate(data);
        File.WriteAllText(Path.Combine(work, "sleep-b"), "not-a-number");
        await using var engines = new TestEngines();
        var engine = engines.Create(new EngineOptions(data), MarkerPlan.Catalog());
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b"), "local");
        Assert.Equal(RunState.Failed, await handle.Completion);

        await using var db = ControlPanelDb.Open(data);
        var run = await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index)).SingleAsync(r => r.Id == handle.RunId);
        var events = await db.RunEvents.AsNoTracking().Where(e => e.RunId == handle.RunId).ToListAsync();

        Assert.Equal($"{Path.Combine(work, "done-a")} is missing", run.Stages[0].CheckReason);
        Assert.Equal("check.missing", UserMessage.FromJson(run.Stages[0].CheckReasonJson)!.Key);
        Assert.StartsWith("`sleep not-a-number` exited with code 1:", run.Stages[1].Error);
        Assert.Equal("command.failed-output", UserMessage.FromJson(run.Stages[1].ErrorJson)!.Key);
        Assert.Equal("b: " + run.Stages[1].Error, run.Error);
        Assert.Equal("run.stage-stopped", UserMessage.FromJson(run.ErrorJson)!.Key);
        Assert.Contains(events, e => e.Message == "attempt 1 on local" && UserMessage.FromJson(e.MessageJson)!.Key == "run.attempt-on");

        // Every kept key renders to exactly the English text kept beside it.
        var pairs = new[] { (run.Error, run.ErrorJson) }
            .Concat(run.Stages.SelectMany(s => new[] { (s.Error, s.ErrorJson), (s.CheckReason, s.CheckReasonJson) }))
            .Concat(events.Select(e => (e.Message, e.MessageJson)))
            .Where(p => p.Item2 is not null).ToList();
        Assert.True(pairs.Count >= 6, $"only {pairs.Count} keyed messages");
        Assert.All(pairs, p => Assert.Equal(p.Item1, UserMessage.FromJson(p.Item2)!.Text));
    }
}
