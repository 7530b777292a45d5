using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>
/// faasd's CNI network config, the host-local IPAM state (the address leases: stale ones break a reinstall)
/// and the cached results of its network, then the CNI folders if that left them empty. Other networks' files are left alone.
/// </summary>
public sealed class RemoveCniStateStage : Stage
{
    public override string Name => "remove-cni-state";
    public override string Title => "Remove faasd's CNI config, IPAM state and cached results";

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var left = await LeftAsync(context);
        return left.Count == 0 ? StageCheck.Satisfied(UninstallReasons.NoCniState.With(("network", StackPaths.CniNetwork))) : StageCheck.Needed(CheckReasons.Left.With(("items", string.Join(", ", left))));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        await HostFiles.RemoveTreesAsync(context, [.. (await LeftAsync(context)).Where(p => !StackPaths.CniParents.Contains(p))]);
        await HostFiles.RemoveEmptyDirsAsync(context, StackPaths.CniParents);
    }

    static async Task<List<string>> LeftAsync(StageContext context)
    {
        var found = await context.AtOnceAsync<IEnumerable<string>>(
            async () => await HostFiles.ExistingAsync(context, [StackPaths.CniConfig, .. StackPaths.CniIpamStates]),
            async () => (await context.ProbeAsync("find", StackPaths.CniResults, "-maxdepth", "1", "-name", StackPaths.CniNetwork + "-*"))
                .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal),
            async () => await HostFiles.EmptyDirsAsync(context, StackPaths.CniParents));
        return [.. found.SelectMany(f => f)];
    }
}
