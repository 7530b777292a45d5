using System.Collections.Concurrent;
using System.Text.Json;
using ControlPanel.Composition;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>A plan on several hosts at once (`install --host A --host B`, `--inventory FILE`), `runs --batch`, `rerun --batch ID --failed`.</summary>
public static class FleetCommands
{
    public sealed record Launch(string Data, RunEngine Engine, IPlanFactory Plans, PlanRequest Request, FleetSelection Selection, string? InventoryFile,
        int Parallel, bool DryRun, bool Yes, bool Verbose, bool Detach, bool Json);

    public static async Task<int> Execute(Launch launch, CancellationToken ct)
    {
        var targets = launch.Selection.Targets;
        if (launch.Selection.FileHosts is { } fromFile)
        {
            var added = await new InventoryStore(launch.Data).ImportAsync(fromFile, ct);
            // With --json, standard output is the JSON alone.
            if (added > 0) (launch.Json ? Console.Error : Console.Out).WriteLine($"inventory: {added} host(s) of {launch.InventoryFile} added (controlpanel hosts list)");
        }
        FleetTargets.RequireLaunchable(launch.Data, targets, launch.Parallel);
        if (launch.DryRun) return await Preview(launch, targets, ct);

        var names = string.Join(", ", targets.Select(t => t.Name));
        if (!PlanRunner.Confirmed(launch.Yes, $"{launch.Request.PlanKind} on {targets.Count} hosts ({names}), {launch.Parallel} at a time")) return ExitCodes.BadInput;
        if (launch.Detach) return await HandOver(launch, targets);
        await launch.Engine.RecoverInterruptedAsync();
        var following = new ConcurrentBag<Task>();
        var handle = await launch.Engine.Fleet.StartAsync(launch.Request, targets, launch.Parallel, "cli", Follow(launch.Data, launch.Verbose, following));
        Console.WriteLine($"batch {handle.BatchId}: {launch.Request.PlanKind} on {names}, {launch.Parallel} at a time");
        return await Finish(launch.Engine, handle, following, launch.Json);
    }

    /// <summary>The batch recorded and handed to the panel, whose nodes execute it; this process returns at once.</summary>
    static async Task<int> HandOver(Launch launch, IReadOnlyList<FleetTarget> targets)
    {
        var batchId = await launch.Engine.Fleet.HandOverAsync(launch.Request, targets, launch.Parallel, RunQueueNames.Panel, "cli");
        if (launch.Json) Console.WriteLine(JsonSerializer.Serialize(new { BatchId = batchId, Hosts = targets.Count, launch.Parallel }, JsonOut.Options));
        else Console.WriteLine($"batch {batchId}: {launch.Request.PlanKind} on {targets.Count} hosts handed to the panel, {launch.Parallel} at a time (follow it: controlpanel runs --batch {batchId})");
        return ExitCodes.Success;
    }

    public static async Task<int> RerunFailed(RunEngine engine, long batchId, int parallel, bool verbose)
    {
        var data = engine.Options.DataDirectory;
        await engine.RecoverInterruptedAsync();
        var following = new ConcurrentBag<Task>();
        var handle = await engine.Fleet.RerunFailedAsync(batchId, parallel, "cli", Follow(data, verbose, following));
        Console.WriteLine($"batch {batchId}: re-running the hosts that failed or never started, {parallel} at a time");
        return await Finish(engine, handle, following, json: false);
    }

    public static async Task<int> PrintBatch(string data, long batchId, bool json, CancellationToken ct)
    {
        var status = await BatchStatus.LoadAsync(data, batchId, ct)
                     ?? throw new InputException("--batch", batchId.ToString(), InputReasons.NotABatch.Message());
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                status.Batch.Id, status.Batch.Kind, status.Batch.Parallel, status.Batch.CreatedAt,
                Hosts = status.Hosts.Select(h => new { h.Target.Name, Host = h.Target.HostSpec, RunId = h.Run?.Id, h.State, h.StagesDone, h.StageCount, h.Run?.Node, h.Run?.Error }),
            }, JsonOut.Options));
            return ExitCodes.Success;
        }
        Console.WriteLine($"batch {status.Batch.Id}: {status.Batch.Kind}, {status.Batch.Parallel} at a time, created {status.Batch.CreatedAt:u}");
        Console.WriteLine($"{"HOST",-16} {"RUN",5}  {"STATE",-12} {"STAGES",-7} {"NODE",-16} ERROR");
        foreach (var h in status.Hosts)
            Console.WriteLine($"{h.Target.Name,-16} {h.Run?.Id.ToString() ?? "-",5}  {h.State,-12} {$"{h.StagesDone}/{h.StageCount}",-7} {h.Run?.Node ?? "-",-16} {h.Run?.Error}");
        return ExitCodes.Success;
    }

    /// <summary>Prints each host's stage lines, prefixed with its name, from the moment its run starts.</summary>
    static Action<FleetTarget, RunHandle> Follow(string data, bool verbose, ConcurrentBag<Task> following) => (target, handle) =>
    {
        Console.WriteLine($"{target.Name} | run {handle.RunId} started on {target.HostSpec} (logs: controlpanel logs {handle.RunId} --follow)");
        following.Add(RunPrinter.FollowAsync(data, handle.RunId, verbose, prefix: $"{target.Name} | "));
    };

    static async Task<int> Finish(RunEngine engine, FleetHandle handle, ConcurrentBag<Task> following, bool json)
    {
        using var cancelOnCtrlC = new PlanRunner.CancelOnCtrlC(() => _ = engine.Fleet.CancelAsync(handle.BatchId));
        var results = await handle.Completion;
        await Task.WhenAll(following);
        if (json) Console.WriteLine(JsonSerializer.Serialize(results.Select(r => new { r.Target.Name, Host = r.Target.HostSpec, r.RunId, r.State, r.Error }), JsonOut.Options));
        else PrintSummary(handle.BatchId, results);
        return results.All(r => r.Succeeded) ? ExitCodes.Success : ExitCodes.StageFailed;
    }

    static void PrintSummary(long batchId, IReadOnlyList<FleetHostResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"{"HOST",-16} {"RUN",5}  {"RESULT",-12} ERROR");
        foreach (var r in results)
            Console.WriteLine($"{r.Target.Name,-16} {r.RunId?.ToString() ?? "-",5}  {r.State?.ToString() ?? "NotStarted",-12} {r.Error}");
        var failed = results.Count(r => !r.Succeeded);
        Console.WriteLine($"batch {batchId}: {results.Count - failed} succeeded, {failed} failed"
                          + (failed > 0 ? $" (re-run only the failed hosts: controlpanel rerun --batch {batchId} --failed)" : ""));
    }

    /// <summary>Dry run on each host in turn (the previews would interleave otherwise), then one line per host.</summary>
    static async Task<int> Preview(Launch launch, IReadOnlyList<FleetTarget> targets, CancellationToken ct)
    {
        var outcomes = new List<(FleetTarget Target, string Outcome, bool Failed)>();
        var previews = new Dictionary<string, IReadOnlyList<StagePreview>>();
        var hosts = EngineSetup.Hosts(launch.Data);
        foreach (var target in targets)
        {
            try
            {
                var plan = launch.Plans.Create(launch.Request);
                await using var host = hosts.Create(target.HostSpec);
                var preview = await PlanPreviewer.PreviewAsync(plan, launch.Request, host, launch.Data, ct);
                previews[target.Name] = preview;
                if (!launch.Json) PreviewPrinter.Print(launch.Request.PlanKind, $"{target.Name} ({target.HostSpec})", preview);
                var failing = preview.Count(p => p.Error is not null);
                outcomes.Add((target, failing > 0 ? $"WOULD FAIL in {failing} stage(s)" : $"{preview.Count(p => !p.WouldSkip)} to apply, {preview.Count(p => p.WouldSkip)} to skip", failing > 0));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcomes.Add((target, "cannot preview: " + e.Message, true));
            }
            if (!launch.Json) Console.WriteLine();
        }
        if (launch.Json)
            Console.WriteLine(JsonSerializer.Serialize(outcomes.Select(o => new
            {
                o.Target.Name, Host = o.Target.HostSpec, o.Outcome, o.Failed, Stages = previews.GetValueOrDefault(o.Target.Name),
            }), JsonOut.Options));
        else
        {
            Console.WriteLine($"dry run of {launch.Request.PlanKind} on {targets.Count} hosts:");
            foreach (var o in outcomes) Console.WriteLine($"  {o.Target.Name,-16} {o.Outcome}");
        }
        return outcomes.Any(o => o.Failed) ? ExitCodes.StageFailed : ExitCodes.Success;
    }
}
