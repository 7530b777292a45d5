using System.CommandLine;
using System.Text.Json;
using ControlPanel.Composition;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>The options of a verb that runs a plan on a host, or on several at once.</summary>
public static class PlanOptions
{
    /// <summary>One host, for the verbs that only read one (`mirrors show`).</summary>
    public static readonly Option<string?> Host = new("--host") { Description = "Target: ssh://user@host:port (default: this machine)" };
    public static readonly Option<string[]> Hosts = new("--host") { Description = "Target: ssh://user@host:port, an inventory host's name or local (default: this machine); may repeat" };
    public static readonly Option<string?> Inventory = new("--inventory") { Description = "File of hosts to run on (NAME user@host[:port] [key=PATH] [labels=a,site=b] per line); added to the inventory" };
    public static readonly Option<string[]> Labels = new("--label") { Description = "Run on the hosts of --inventory FILE (or of the stored inventory) with this label, NAME or KEY=VALUE; may repeat (all must match)" };
    public static readonly Option<int> Parallel = new("--parallel") { Description = "With several hosts: how many run at once", DefaultValueFactory = _ => 5 };
    public static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print the commands and file diffs; change nothing" };
    public static readonly Option<bool> Yes = new("--yes", "-y") { Description = "Do not ask for confirmation" };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Print every log line as it comes" };
    public static readonly Option<bool> Detach = new("--detach") { Description = "Hand the run (or the batch) to the panel (`controlpanel serve`) and return at once; follow it with `controlpanel logs RUN_ID --follow` (`runs --batch ID`)" };

    /// <summary>Adds them (and --json) to a command.</summary>
    public static Command With(this Command command)
    {
        foreach (var option in new Option[] { Hosts, Inventory, Labels, Parallel, DryRun, Yes, Verbose, Detach, CommonOptions.Json }) command.Options.Add(option);
        return command;
    }

    /// <summary>Whether the verb runs as a batch: several hosts, or hosts chosen through an inventory (a file or labels).</summary>
    public static bool IsBatch(ParseResult parse) =>
        FleetSelection.IsBatchOf(parse.GetValue(Hosts)?.Length ?? 0, parse.GetValue(Inventory), parse.GetValue(Labels)?.Length ?? 0);
}

/// <summary>Runs a plan headless as a stored run on a host (logs, history, resume), or prints its dry run; the verbs that change a host share it.</summary>
public static class PlanRunner
{
    /// <summary>With the values of <see cref="PlanOptions"/>: on one host, or as a batch on the hosts they select.</summary>
    /// <param name="catalog">The plans (default the stack's; tests pass fixture plans).</param>
    public static async Task<int> ExecuteAsync(ParseResult parse, PlanRequest request, CancellationToken ct, PlanCatalog? catalog = null)
    {
        catalog ??= StackPlans.Catalog();
        var data = CommonOptions.DataDirectory(parse);
        var parallel = parse.GetValue(PlanOptions.Parallel);
        // Created first: it migrates the database, where host names and labels resolve through the inventory.
        // A batch runs up to --parallel hosts at once, each on a worker of this process.
        await using var engine = EngineSetup.Create(data, "cli", catalog, jobs: new() { Workers = Math.Clamp(parallel, 1, FleetTargets.MaxParallel) });
        var selection = await FleetTargets.SelectAsync(data, parse.GetValue(PlanOptions.Hosts) ?? [], parse.GetValue(PlanOptions.Inventory),
            parse.GetValue(PlanOptions.Labels) ?? [], ct);
        var (dryRun, yes, verbose) = (parse.GetValue(PlanOptions.DryRun), parse.GetValue(PlanOptions.Yes), parse.GetValue(PlanOptions.Verbose));
        if (selection.IsBatch)
            return await FleetCommands.Execute(new FleetCommands.Launch(data, engine, catalog, request, selection, parse.GetValue(PlanOptions.Inventory),
                parallel, dryRun, yes, verbose, parse.GetValue(PlanOptions.Detach), parse.GetValue(CommonOptions.Json)), ct);
        return await ExecuteOnOneAsync(parse, request, selection.Targets.SingleOrDefault()?.HostSpec ?? "local", dryRun, yes, verbose, ct, engine, catalog);
    }

    static async Task<int> ExecuteOnOneAsync(ParseResult parse, PlanRequest request, string hostSpec, bool dryRun, bool yes, bool verbose, CancellationToken ct,
        RunEngine engine, PlanCatalog catalog)
    {
        var data = CommonOptions.DataDirectory(parse);

        if (dryRun)
        {
            var plan = catalog.Create(request);
            await using var target = EngineSetup.Hosts(data).Create(hostSpec);
            var preview = await PlanPreviewer.PreviewAsync(plan, request, target, data, ct);
            if (parse.GetValue(CommonOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(preview, JsonOut.Options));
            else PreviewPrinter.Print(request.PlanKind, hostSpec, preview);
            return preview.Any(p => p.Error is not null) ? ExitCodes.StageFailed : ExitCodes.Success;
        }

        if (!Confirmed(yes, $"{request.PlanKind} on {hostSpec}")) return ExitCodes.BadInput;

        await engine.RecoverInterruptedAsync();
        if (parse.GetValue(PlanOptions.Detach))
        {
            var queued = await engine.StartAsync(request, hostSpec, "cli", onQueue: RunQueueNames.Panel);
            Console.WriteLine($"run {queued.RunId}: {request.PlanKind} on {hostSpec} handed to the panel (logs: controlpanel logs {queued.RunId} --follow)");
            return ExitCodes.Success;
        }
        var handle = await engine.StartAsync(request, hostSpec, "cli");
        Console.WriteLine($"run {handle.RunId}: {request.PlanKind} on {hostSpec} (logs: controlpanel logs {handle.RunId} --follow)");
        return await Wait(engine, handle, verbose, data);
    }

    /// <summary>Asks "WHAT: proceed? [y/N]" on a terminal; --yes or piped input (scripts) proceed without asking.</summary>
    public static bool Confirmed(bool yes, string what)
    {
        if (yes || Console.IsInputRedirected) return true;
        Console.Write($"{what}: proceed? [y/N] ");
        return Console.ReadLine()?.Trim().ToLowerInvariant() is "y" or "yes";
    }

    /// <summary>Follows a run this process executes; Ctrl-C cancels it cleanly instead of leaving it half-done and unrecorded.</summary>
    internal static async Task<int> Wait(RunEngine engine, RunHandle handle, bool verbose, string data)
    {
        using var cancelOnCtrlC = new CancelOnCtrlC(() => _ = engine.CancelAsync(handle.RunId));
        var printing = RunPrinter.FollowAsync(data, handle.RunId, verbose);
        var state = await handle.Completion;
        await printing;
        return state == RunState.Succeeded ? ExitCodes.Success : ExitCodes.StageFailed;
    }

    /// <summary>Waits for a run this process executes without printing its stages (the verb prints its own result); Ctrl-C cancels it.</summary>
    internal static async Task<RunState> WaitQuietly(RunEngine engine, RunHandle handle, string data)
    {
        using var cancelOnCtrlC = new CancelOnCtrlC(() => _ = engine.CancelAsync(handle.RunId));
        return await handle.Completion;
    }

    internal sealed class CancelOnCtrlC : IDisposable
    {
        readonly ConsoleCancelEventHandler handler;
        public CancelOnCtrlC(Action cancel)
        {
            handler = (_, e) => { e.Cancel = true; Console.Error.WriteLine("cancelling..."); cancel(); };
            Console.CancelKeyPress += handler;
        }
        public void Dispose() => Console.CancelKeyPress -= handler;
    }
}
