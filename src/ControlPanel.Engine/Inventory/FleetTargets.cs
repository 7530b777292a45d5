using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Inventory;

/// <summary>
/// The hosts a verb runs on. <paramref name="FileHosts"/>: the hosts of the --inventory file, to add to the inventory.
/// <paramref name="IsBatch"/>: several hosts, or hosts chosen through an inventory (file or labels), run as a batch.
/// </summary>
public sealed record FleetSelection(IReadOnlyList<FleetTarget> Targets, IReadOnlyList<InventoryHost>? FileHosts, bool IsBatch)
{
    /// <summary>The rule, also for a face that needs it before selecting (the CLI's one-time password notice).</summary>
    public static bool IsBatchOf(int hostCount, string? inventoryFile, int labelCount) => hostCount > 1 || inventoryFile is not null || labelCount > 0;
}

/// <summary>Turns what the user named (--host values, an inventory file, labels) into the hosts of a batch.</summary>
public static class FleetTargets
{
    static readonly MessageTemplate NotAHost = new("input.not-fleet-host", "is not a host of the inventory (see `controlpanel hosts list`), \"local\" or ssh://user@host[:port]");
    static readonly MessageTemplate NamedTwice = new("input.named-twice", "is named twice");
    static readonly MessageTemplate Unpinned = new("input.unpinned", "has no pinned host key yet: check and pin it first with `controlpanel hosts trust NAME` (`hosts add` it if it is not in the inventory)");

    /// <summary>
    /// The --host values, then the hosts of the inventory file; with labels, only the file's hosts carrying them,
    /// or without a file the stored inventory's.
    /// </summary>
    public static async Task<FleetSelection> SelectAsync(string dataDirectory, IReadOnlyList<string> hostArgs, string? inventoryFile,
        IReadOnlyList<string> labels, CancellationToken ct = default)
    {
        var targets = (await ResolveAsync(dataDirectory, hostArgs, ct)).ToList();
        var fileHosts = inventoryFile is null ? null : InventoryFile.Load(inventoryFile);
        if (labels.Count > 0)
        {
            var pool = fileHosts ?? (await new InventoryStore(dataDirectory).ListAsync(ct)).Select(InventoryStore.ToHost).ToList();
            targets.AddRange(Of(HostLabels.Select(pool, labels, inventoryFile ?? "the inventory")));
        }
        else if (fileHosts is not null) targets.AddRange(Of(fileHosts));
        return new FleetSelection(targets, fileHosts, FleetSelection.IsBatchOf(targets.Count, inventoryFile, labels.Count));
    }

    /// <summary>Each value is "local", ssh://user@host[:port] or the name of an inventory host.</summary>
    public static async Task<IReadOnlyList<FleetTarget>> ResolveAsync(string dataDirectory, IEnumerable<string> hostArgs, CancellationToken ct = default)
    {
        var store = new InventoryStore(dataDirectory);
        var inventory = await store.ListAsync(ct);
        var targets = new List<FleetTarget>();
        foreach (var arg in hostArgs)
        {
            if (arg == "local") { targets.Add(new FleetTarget("local", "local")); continue; }
            if (inventory.FirstOrDefault(h => h.Name == arg) is { } named)
            {
                targets.Add(new FleetTarget(named.Name, InventoryStore.ToHost(named).Spec));
                continue;
            }
            if (!arg.Contains("://") && !arg.Contains('@') && arg.Length > 0)
                throw new InputException("host", arg, NotAHost.Message());
            var target = SshTarget.Parse("host", arg);
            var known = inventory.FirstOrDefault(h => InventoryStore.ToHost(h).Target == target);
            targets.Add(new FleetTarget(known?.Name ?? (target.Port == 22 ? target.Address : $"{target.Address}:{target.Port}"), target.ToString()));
        }
        return targets;
    }

    public static IReadOnlyList<FleetTarget> Of(IEnumerable<InventoryHost> hosts) => hosts.Select(h => new FleetTarget(h.Name, h.Spec)).ToList();

    /// <summary>What every face checks before a batch is previewed, confirmed or started: the limit, no host twice, every SSH host's key pinned.</summary>
    public static void RequireLaunchable(string dataDirectory, IReadOnlyList<FleetTarget> targets, int parallel)
    {
        RequireParallel(parallel);
        if (targets.Count == 0) throw new InputException("host", null, InputReasons.NamesNoHost.Message());
        RequireDistinct(targets);
        RequirePinned(dataDirectory, targets);
    }

    public const int MaxParallel = 64;
    static readonly MessageTemplate ParallelRange = new("input.parallel-range", "must be between 1 and {max}");

    /// <summary>How many hosts of a batch may run at once; also checked by the faces before a dry run or a confirmation.</summary>
    public static void RequireParallel(int parallel)
    {
        if (parallel is < 1 or > MaxParallel)
            throw new InputException("parallel", parallel.ToString(), ParallelRange.With(("max", MaxParallel)));
    }

    /// <summary>The same host twice in one batch would only wait for its own lock: refused up front.</summary>
    public static void RequireDistinct(IReadOnlyList<FleetTarget> targets)
    {
        if (targets.GroupBy(t => t.HostSpec).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InputException("host", twice.Key, NamedTwice.Message());
    }

    /// <summary>Refuses SSH hosts whose key was never pinned: ssh would refuse them anyway (StrictHostKeyChecking), one by one, later.</summary>
    public static void RequirePinned(string dataDirectory, IReadOnlyList<FleetTarget> targets)
    {
        var known = KnownHosts.In(dataDirectory);
        var unpinned = targets.Where(t => t.HostSpec != "local" && known.PinnedKeys(SshTarget.Parse("host", t.HostSpec)).Count == 0)
            .Select(t => t.Name).ToList();
        if (unpinned.Count > 0)
            throw new InputException("host", string.Join(", ", unpinned),
                Unpinned.Message());
    }
}
