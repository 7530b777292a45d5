using System.CommandLine;
using System.Text.Json;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Cli;

/// <summary>The options of a verb that runs a plan on one host or several.</summary>
public static class PlanOptions
{
    public static readonly Option<string[]> Hosts = new("--host") { Description = "Target: ssh://user@host:port, an inventory host's name or local (default: this machine); may repeat" };
    public static readonly Option<string?> Inventory = new("--inventory") { Description = "File of hosts to run on (NAME user@host[:port] [key=PATH] [labels=a,b] per line); added to the inventory" };
    public static readonly Option<int> Parallel = new("--parallel") { Description = "With several hosts: how many run at once", DefaultValueFactory = _ => 5 };
    public static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print the commands and file diffs; change nothing" };
    public static readonly Option<bool> Yes = new("--yes", "-y") { Description = "Do not ask for confirmation" };
    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Print every log line as it comes" };

    /// <summary>Adds them (and --json) to a command.</summary>
    public static Command With(this Command command)
    {
        foreach (var option in new Option[] { Hosts, Inventory, Parallel, DryRun, Yes, Verbose, CommonOptions.FixturePlans, CommonOptions.Json })
            command.Options.Add(option);
        return command;
    }

    /// <summary>Several hosts named: the plan runs as a batch.</summary>
    public static bool IsFleet(ParseResult parse) => parse.GetValue(Hosts) is { Length: > 1 } || parse.GetValue(Inventory) is not null;
}

/// <summary>Runs a plan headless as a stored run on a host (logs, history, resume), or prints its dry run; the verbs that change a host share it.</summary>
public static class PlanRunner
{
    /// <summary>With the values of <see cref="PlanOptions"/>: on one host, or as a batch on several.</summary>
    public static async Task<int> ExecuteAsync(ParseResult parse, PlanRequest request, CancellationToken ct)
    {
        var data = CommonOptions.DataDirectory(parse);
        var catalog = CommonOptions.Plans(parse);
        // Created first: it migrates the database, where host names resolve through the inventory.
        var engine = EngineSetup.Create(data, "cli", catalog);
        var targets = await FleetTargets.ResolveAsync(data, parse.GetValue(PlanOptions.Hosts) ?? [], ct);
        var (dryRun, yes, verbose) = (parse.GetValue(PlanOptions.DryRun), parse.GetValue(PlanOptions.Yes), parse.GetValue(PlanOptions.Verbose));
        if (PlanOptions.IsFleet(parse))
            return await FleetCommands.Execute(new FleetCommands.Launch(data, engine, catalog, request, targets, parse.GetValue(PlanOptions.Inventory),
                parse.GetValue(PlanOptions.Parallel), dryRun, yes, verbose, parse.GetValue(CommonOptions.Json)), ct);
        return await OnOneHostAsync(parse, request, targets.SingleOrDefault()?.HostSpec ?? "local", dryRun, yes, verbose, engine, catalog, ct);
    }

    static async Task<int> OnOneHostAsync(ParseResult parse, PlanRequest request, string hostSpec, bool dryRun, bool yes, bool verbose,
        RunEngine engine, PlanCatalog catalog, CancellationToken ct)
    {
        var data = CommonOptions.DataDirectory(parse);
        if (dryRun)
        {
            var plan = catalog.Create(request);
            await using var target = EngineSetup.Hosts(data).Create(hostSpec);
            var preview = await PlanPreviewer.PreviewAsync(plan, request, target, data, ct);
            if (parse.GetValue(CommonOptions.Json)) Console.WriteLine(JsonSerializer.Serialize(preview, JsonOut.Options));
            else PreviewPrinter.Print(request.Kind, hostSpec, preview);
            return preview.Any(p => p.Error is not null) ? ExitCodes.StageFailed : ExitCodes.Success;
        }

        if (!Confirmed(yes, $"{request.Kind} on {hostSpec}")) return ExitCodes.BadInput;

        await engine.RecoverInterruptedAsync();
        var handle = await engine.StartAsync(request, hostSpec, "cli");
        Console.WriteLine($"run {handle.RunId}: {request.Kind} on {hostSpec} (logs: controlpanel logs {handle.RunId} --follow)");
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
