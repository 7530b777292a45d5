using System.CommandLine;
using System.Text.Json;
using ControlPanel.Composition;
using ControlPanel.Model;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>Verbs over stored runs: status, runs, logs, rerun, cancel.</summary>
public static class RunCommands
{
    static readonly MessageTemplate NotARun = new("input.not-a-run", "is not a run (see `controlpanel runs`)");
    static readonly MessageTemplate FailedRequired = new("input.failed-required", "is required with --batch (only the failed hosts of a batch are re-run)");
    static readonly MessageTemplate BatchFromStage = new("input.batch-from-stage", "cannot be combined with --from or --stage (each failed host resumes from its own failed stage)");
    static readonly MessageTemplate RunIdRequired = new("input.run-id-required", "is required (or --batch ID --failed)");
    static readonly MessageTemplate NotRunning = new("input.not-running", "is not running");

    static readonly Argument<long> RunId = new("RUN_ID") { Description = "Run number (see `controlpanel runs`)" };

    public static Command Status()
    {
        var command = new Command("status", "What is installed and what is running") { CommonOptions.Json };
        command.SetAction(async (parse, ct) =>
        {
            var data = EngineSetup.Prepare(CommonOptions.DataDirectory(parse));
            var queries = new RunQueries(data);
            var runs = await queries.LatestAsync(ct: ct);
            // A run shown running whose process is gone is marked interrupted first; only then is an engine worth its start.
            if (runs.Any(r => r.State is RunState.Running or RunState.Queued))
                await using (var engine = EngineSetup.Create(data, "cli"))
                    if ((await engine.RecoverInterruptedAsync()).Count > 0) runs = await queries.LatestAsync(ct: ct);
            var status = new
            {
                DataDirectory = data,
                Running = runs.Where(r => r.State is RunState.Running or RunState.Queued).Select(Summary).ToList(),
                LastInstall = runs.FirstOrDefault(r => r.Kind == "install") is { } i ? Detail(i) : null,
                LastUninstall = runs.FirstOrDefault(r => r.Kind == "uninstall") is { } u ? Detail(u) : null,
            };
            if (parse.GetValue(CommonOptions.Json)) { Console.WriteLine(JsonSerializer.Serialize(status, JsonOut.Options)); return 0; }
            Console.WriteLine($"data: {data}");
            Console.WriteLine(status.Running.Count == 0 ? "running: nothing" : "running: " + string.Join(", ", status.Running.Select(r => $"run {r.Id} {r.Kind} on {r.Host}")));
            foreach (var r in new[] { runs.FirstOrDefault(r => r.Kind == "install"), runs.FirstOrDefault(r => r.Kind == "uninstall") })
            {
                if (r is null) continue;
                Console.WriteLine($"last {r.Kind}: run {r.Id} {r.State} on {r.HostSpec} at {r.CreatedAt:u}" + (r.Error is null ? "" : $" ({r.Error})"));
                foreach (var s in r.Stages.OrderBy(s => s.Index)) Console.WriteLine("  " + RunPrinter.StageLine(s, r.Stages.Count));
            }
            return 0;
        });
        return command;
    }

    public static Command Runs()
    {
        var batch = new Option<long?>("--batch") { Description = "Only the hosts of this batch (a plan run on several hosts)" };
        var command = new Command("runs", "List runs, newest first") { batch, CommonOptions.Json };
        command.SetAction(async (parse, ct) =>
        {
            var data = EngineSetup.Prepare(CommonOptions.DataDirectory(parse));
            if (parse.GetValue(batch) is { } batchId) return await FleetCommands.PrintBatch(data, batchId, parse.GetValue(CommonOptions.Json), ct);
            var queries = new RunQueries(data);
            var runs = await queries.LatestAsync(ct: ct);
            var times = await queries.TimesAsync(runs, ct);
            if (parse.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(runs.Select(r => Detail(r, times[r.Id])), JsonOut.Options));
                return 0;
            }
            // TIME: from the first start (re-runs and resumes included); EACH ATTEMPT: their own times, when there were several.
            Console.WriteLine($"{"ID",5}  {"KIND",-10} {"STATE",-12} {"HOST",-28} {"CREATED (UTC)",-20} {"STAGES",-7} {"TIME",-9} {"BATCH",-6} EACH ATTEMPT");
            foreach (var r in runs)
                Console.WriteLine($"{r.Id,5}  {r.Kind,-10} {r.State,-12} {r.HostName ?? r.HostSpec,-28} {r.CreatedAt,-20:yyyy-MM-dd HH:mm:ss} " +
                    $"{$"{r.Stages.Count(s => s.State.IsDone())}/{r.Stages.Count}",-7} {Format.Span(times[r.Id].Wall),-9} {r.BatchId,-6} " +
                    (times[r.Id].Attempts.Count > 1 ? string.Join(", ", times[r.Id].Attempts.Select(t => Format.Span(t))) : ""));
            return 0;
        });
        return command;
    }

    public static Command Logs()
    {
        var stage = new Option<string?>("--stage") { Description = "Only this stage's log" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the run ends" };
        var command = new Command("logs", "Print a run's log") { RunId, stage, follow, CommonOptions.Json };
        command.SetAction(async (parse, ct) =>
        {
            var data = EngineSetup.Prepare(CommonOptions.DataDirectory(parse));
            var id = parse.GetValue(RunId);
            var runs = new RunQueries(data);
            var run = await runs.FindAsync(id, ct) ?? throw new InputException("RUN_ID", id.ToString(), NotARun.Message());
            int? index = null;
            if (parse.GetValue(stage) is { } name)
                index = run.Stages.SingleOrDefault(s => s.Name == name)?.Index
                        ?? throw new InputException("--stage", name, InputReasons.NotAStage.With(("run", id), ("stages", string.Join(", ", run.Stages.OrderBy(s => s.Index).Select(s => s.Name)))));
            var json = parse.GetValue(CommonOptions.Json);
            var tail = new LogTail(new LogStore(data), id, index);
            void Print()
            {
                foreach (var e in tail.ReadNew())
                    Console.WriteLine(json ? JsonSerializer.Serialize(e, JsonOut.Options).ReplaceLineEndings("") : RunPrinter.LogLine(e));
            }
            Print();
            if (!parse.GetValue(follow)) return 0;
            while (!ct.IsCancellationRequested)
            {
                var state = (await runs.FindAsync(id, ct))!.State;
                Print();
                if (state is not (RunState.Running or RunState.Queued)) { Print(); return 0; }
                await Task.Delay(200, ct);
            }
            return 0;
        });
        return command;
    }

    public static Command Rerun(PlanSource plans)
    {
        var from = new Option<string?>("--from") { Description = "Run again from this stage onwards" };
        var only = new Option<string?>("--stage") { Description = "Run only this stage" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print every log line as it comes" };
        var batch = new Option<long?>("--batch") { Description = "A batch (plan run on several hosts): with --failed, retry only its hosts that did not succeed" };
        var failed = new Option<bool>("--failed") { Description = "With --batch: the hosts whose run failed, was cancelled or interrupted, and those that never started" };
        var parallel = new Option<int>("--parallel") { Description = "With --batch: how many hosts run at once", DefaultValueFactory = _ => 5 };
        var runId = new Argument<long?>("RUN_ID") { Description = "Run number (see `controlpanel runs`)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("rerun", "Resume a failed, cancelled or interrupted run; or re-run from a stage, or one stage; or the failed hosts of a batch")
        {
            runId, from, only, verbose, batch, failed, parallel,
        };
        command.SetAction(async (parse, ct) =>
        {
            var data = EngineSetup.Prepare(CommonOptions.DataDirectory(parse));
            if (parse.GetValue(batch) is { } batchId)
            {
                if (parse.GetValue(runId) is not null) throw new InputException("--batch", batchId.ToString(), InputReasons.CannotCombine.With(("option", "RUN_ID")));
                if (!parse.GetValue(failed)) throw new InputException("--failed", null, FailedRequired.Message());
                if (parse.GetValue(from) is not null || parse.GetValue(only) is not null)
                    throw new InputException("--batch", batchId.ToString(), BatchFromStage.Message());
                var batchPlans = CommonOptions.PlansNamed(plans, "--batch", batchId, await FleetRunner.CatalogOfBatchAsync(data, batchId));
                await using var batchEngine = EngineSetup.Create(data, "cli", batchPlans, jobs: new() { Workers = Math.Clamp(parse.GetValue(parallel), 1, FleetTargets.MaxParallel) });
                return await FleetCommands.RerunFailed(batchEngine, batchId, parse.GetValue(parallel), parse.GetValue(verbose));
            }
            var id = parse.GetValue(runId) ?? throw new InputException("RUN_ID", null, RunIdRequired.Message());
            if (parse.GetValue(from) is not null && parse.GetValue(only) is not null)
                throw new InputException("--from", parse.GetValue(from), InputReasons.CannotCombine.With(("option", "--stage")));
            var (mode, stageName) = parse.GetValue(from) is { } f ? (RerunMode.From, f)
                : parse.GetValue(only) is { } o ? (RerunMode.Only, o) : (RerunMode.Resume, (string?)null);
            await using var engine = EngineSetup.Create(data, "cli", CommonOptions.PlansNamed(plans, "RUN_ID", id, await RunEngine.CatalogOfRunAsync(data, id)));
            await engine.RecoverInterruptedAsync();
            var handle = await engine.RerunAsync(id, mode, stageName, "cli");
            Console.WriteLine($"run {handle.RunId}: {(mode == RerunMode.Resume ? "resuming" : $"re-running {mode.ToString().ToLowerInvariant()} {stageName}")}");
            return await PlanRunner.Wait(engine, handle, parse.GetValue(verbose), data);
        });
        return command;
    }

    public static Command Cancel()
    {
        var command = new Command("cancel", "Stop a running run (whichever process executes it)") { RunId };
        command.SetAction(async (parse, ct) =>
        {
            await using var engine = EngineSetup.Create(CommonOptions.DataDirectory(parse), "cli");
            var id = parse.GetValue(RunId);
            if (!await engine.CancelAsync(id)) throw new InputException("RUN_ID", id.ToString(), NotRunning.Message());
            Console.WriteLine($"run {id}: cancel requested");
            return 0;
        });
        return command;
    }

    sealed record RunSummary(long Id, string Kind, string Host, RunState State);

    static RunSummary Summary(RunRecord r) => new(r.Id, r.Kind, r.HostSpec, r.State);

    static object Detail(RunRecord r, RunTimes? times = null) => new
    {
        r.Id, r.Kind, Host = r.HostSpec, r.State, r.CreatedAt, r.StartedAt, r.EndedAt, r.Error, r.Attempts, r.RequestedBy,
        WallSeconds = times?.Wall?.TotalSeconds, AttemptSeconds = times?.Attempts.Select(t => t.TotalSeconds),
        Stages = r.Stages.OrderBy(s => s.Index).Select(s => new { s.Name, s.Title, s.State, s.Attempts, s.StartedAt, s.EndedAt, s.Error, s.CheckReason, s.LogLines }),
    };
}
