using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>
/// faasd's containers, through containerd while it still runs: tasks killed and deleted, containers (and their
/// snapshots) deleted, then images and the namespaces themselves unless data is kept. The core namespace
/// depends on the faasd version installed (`default` for 0.9.5, `openfaas` from 0.10); functions live in openfaas-fn.
/// </summary>
public sealed class ContainerdWorkloadsStage(bool keepData, StackServices services) : Stage
{
    public const string FunctionsNamespace = "openfaas-fn";

    public override string Name => "containerd-workloads";
    public override string Title => "Remove faasd's containers" + (keepData ? " (images kept)" : ", images and namespaces");

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        if (!await ContainerdStage.ServerAnswersAsync(context)) return StageCheck.Satisfied(UninstallReasons.ContainerdDown.Message());
        var namespaces = await ListAsync(context, null, "namespaces");
        foreach (var ns in await NamespacesAsync(context))
        {
            if (!namespaces.Contains(ns)) continue;
            if ((await ListAsync(context, ns, "tasks")).Count > 0) return StageCheck.Needed(UninstallReasons.TasksLeft.With(("namespace", ns)));
            if ((await ListAsync(context, ns, "containers")).Count > 0) return StageCheck.Needed(UninstallReasons.ContainersLeft.With(("namespace", ns)));
            if (!keepData) return StageCheck.Needed(UninstallReasons.NamespaceLeft.With(("namespace", ns)));
        }
        return StageCheck.Satisfied(UninstallReasons.NoContainers.Message());
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var existing = await ListAsync(context, null, "namespaces");
        foreach (var ns in await NamespacesAsync(context))
        {
            if (!existing.Contains(ns)) continue;
            var tasks = await ListAsync(context, ns, "tasks");
            // Each task on its own (ctr kills and deletes one task per command), side by side.
            await context.AtOnceAsync(tasks.Select<string, Func<Task>>(id => () => Ctr(context, ns, "tasks", "kill", "-a", "-s", "SIGKILL", id)));
            // A killed task must reach STOPPED before it can be deleted.
            await Poll.UntilAsync(context, services, $"the killed tasks of namespace {ns} to stop", TimeSpan.FromSeconds(15), async () =>
                (await context.ProbeAsync(StackPaths.Ctr, "-n", ns, "tasks", "ls")).Stdout.Split('\n').Skip(1).All(l => !l.Contains("RUNNING")));
            await context.AtOnceAsync(tasks.Select<string, Func<Task>>(id => () => Ctr(context, ns, "tasks", "delete", id)));
            if (await ListAsync(context, ns, "containers") is { Count: > 0 } containers) await Ctr(context, ns, ["containers", "delete", .. containers]);
            if (keepData) continue;
            var images = await ListAsync(context, ns, "images");
            if (images.Count > 0) await Ctr(context, ns, ["images", "rm", .. images]);
            var removed = await context.RunAsync(new ProcessSpec([StackPaths.Ctr, "namespaces", "rm", ns]) { OkExitCodes = [0, 1] });
            if (removed.ExitCode != 0)
                context.Log.Warn($"namespace {ns} could not be removed ({string.Join(' ', removed.StderrTail)}); it goes with {StackPaths.ContainerdData}");
        }
    }

    public override async Task VerifyAsync(StageContext context)
    {
        // A namespace containerd refuses to drop (leases, content) is not left behind: its data directory goes later.
        var check = await CheckAsync(context);
        if (!check.Done && !check.Reason.StartsWith("namespace", StringComparison.Ordinal))
            throw new StageFailedException(NotRemoved.With(("stage", Title), ("reason", check.Why)));
    }

    async Task<IReadOnlyList<string>> NamespacesAsync(StageContext context)
    {
        var marker = await ComponentMarker.ReadAsync(context, ArtifactManifest.Faasd);
        var core = marker is not null && services.Manifest.Components[ArtifactManifest.Faasd].Releases.TryGetValue(marker.Version, out var release)
            ? [release.CoreNamespace ?? "openfaas"]
            : new[] { "default", "openfaas" };
        return [FunctionsNamespace, .. core];
    }

    static async Task<IReadOnlyList<string>> ListAsync(StageContext context, string? ns, string what)
    {
        string[] argv = ns is null ? [StackPaths.Ctr, what, "ls", "-q"] : [StackPaths.Ctr, "-n", ns, what, "ls", "-q"];
        var r = await context.ProbeAsync(argv);
        return r.ExitCode == 0 ? r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
    }

    static Task Ctr(StageContext context, string ns, params string[] args) => context.RunAsync([StackPaths.Ctr, "-n", ns, .. args]);

    static readonly MessageTemplate NotRemoved = new("uninstall.not-removed", "{stage}: {reason}");
}
