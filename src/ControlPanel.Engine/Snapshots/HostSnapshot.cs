using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stack.Uninstall;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Snapshots;

/// <summary>
/// What a host looked like, as a set of items "kind:value": processes (their command lines), mount points,
/// network links, iptables chains, systemd units (known and active) and the state of every path the plan
/// touches (exists, and the sha256 of files). Comparing two snapshots says what appeared in between.
/// </summary>
public sealed record HostSnapshot(string Host, DateTimeOffset TakenAt, SortedSet<string> Items)
{
    public static async Task<HostSnapshot> TakeAsync(StageContext context)
    {
        // Read-only and independent: asked side by side.
        var answers = await context.AtOnceAsync<IEnumerable<string>>(
            async () => (await HostProcesses.ListAsync(context)).Select(p => "process:" + p.Args),
            async () => (await Mounts.ListAsync(context)).Select(m => "mount:" + m),
            async () => RemoveBridgeStage.LinkNames((await context.ProbeAsync("ip", "-o", "link", "show")).Stdout).Select(l => "link:" + l),
            async () => await ChainsAsync(context, "iptables", "filter"),
            async () => await ChainsAsync(context, "iptables", "nat"),
            async () => await ChainsAsync(context, "ip6tables", "filter"),
            async () => Column((await context.ProbeAsync("systemctl", "list-unit-files", "--type=service", "--no-legend", "--no-pager")).Stdout).Select(u => "unit:" + u),
            async () => Column((await context.ProbeAsync("systemctl", "list-units", "--type=service", "--state=active", "--no-legend", "--no-pager", "--plain")).Stdout).Select(u => "active:" + u),
            () => PathItemsAsync(context, StackPaths.Touched));
        var items = new SortedSet<string>(answers.SelectMany(a => a), StringComparer.Ordinal);
        return new HostSnapshot(context.Host.Key, DateTimeOffset.UtcNow, items);
    }

    static async Task<IEnumerable<string>> ChainsAsync(StageContext context, string tool, string table) =>
        (await IptablesChains.ListAsync(context, table, tool)).Chains.Select(chain => $"chain:{tool}/{table}/{chain}");

    /// <summary>For each path that exists: "path:P" and, for a regular file, "content:P sha256".</summary>
    const string PathScript = """for p; do if [ -f "$p" ] && [ ! -L "$p" ]; then printf 'path:%s\n' "$p"; printf 'content:%s %s\n' "$p" "$(sha256sum < "$p" | cut -d' ' -f1)"; elif [ -e "$p" ] || [ -L "$p" ]; then printf 'path:%s\n' "$p"; fi; done""";

    static async Task<IEnumerable<string>> PathItemsAsync(StageContext context, IEnumerable<string> paths) =>
        (await context.ProbeAsync(["sh", "-c", PathScript, "snapshot", .. paths])).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    static IEnumerable<string> Column(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ', 2)[0]).Where(u => u.Length > 0);

    /// <summary>The items of <paramref name="after"/> that the stack accounts for and that <paramref name="before"/> did not have.</summary>
    public static IReadOnlyList<string> Leftovers(HostSnapshot? before, HostSnapshot after, Func<string, bool> footprint) =>
        after.Items.Where(footprint).Where(i => before is null || !before.Items.Contains(i)).ToList();
}
