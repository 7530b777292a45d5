using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>
/// The iptables state CNI leaves for faasd's network. nat: the bridge plugin's masquerade chains CNI-&lt;hex&gt;,
/// jumped to from POSTROUTING by rules whose comment names the network: the jump goes first, then the chain is
/// flushed and deleted. filter: the firewall plugin's per-address rules in CNI-FORWARD; CNI-FORWARD and
/// CNI-ADMIN themselves only go when nothing of another network is left in them.
/// </summary>
public sealed class RemoveCniIptablesStage : Stage
{
    public override string Name => "remove-cni-iptables";
    public override string Title => "Remove CNI's iptables chains and rules for faasd's network";

    public sealed record Step(string Table, IptablesRule? Rule, string? Chain)
    {
        public override string ToString() => Rule is not null ? $"{Table}: {Rule.Chain} {string.Join(' ', Rule.Args)}" : $"{Table}: chain {Chain}";
    }

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var steps = await PlanAsync(context);
        return steps.Count == 0 ? StageCheck.Satisfied(UninstallReasons.NoCniIptables.With(("network", StackPaths.CniNetwork))) : StageCheck.Needed(UninstallReasons.CniRulesLeft.With(("count", steps.Count), ("first", steps[0])));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        foreach (var step in await PlanAsync(context))
        {
            if (step.Rule is not null) await IptablesChains.DeleteRuleAsync(context, step.Table, step.Rule);
            else await IptablesChains.DeleteChainAsync(context, step.Table, step.Chain!);
        }
    }

    static async Task<IReadOnlyList<Step>> PlanAsync(StageContext context)
    {
        var nat = await IptablesChains.ListAsync(context, "nat");
        var filter = await IptablesChains.ListAsync(context, "filter");
        return Plan(nat.Chains, nat.Rules, filter.Chains, filter.Rules);
    }

    /// <summary>What to delete, in order: jumps before the chains they jump to, rules before emptied chains.</summary>
    public static IReadOnlyList<Step> Plan(IReadOnlyList<string> natChains, IReadOnlyList<IptablesRule> natRules,
        IReadOnlyList<string> filterChains, IReadOnlyList<IptablesRule> filterRules)
    {
        var steps = new List<Step>();
        var tag = $"name: \"{StackPaths.CniNetwork}\"";
        bool Ours(IptablesRule r) => r.Comment?.Contains(tag, StringComparison.Ordinal) == true;

        var chains = natChains.Where(c => c.StartsWith("CNI-", StringComparison.Ordinal)
                                          && natRules.Any(r => (r.Chain == c || r.Jump == c) && Ours(r)))
                              .ToHashSet();
        steps.AddRange(natRules.Where(r => !chains.Contains(r.Chain) && r.Jump is { } j && chains.Contains(j)).Select(r => new Step("nat", r, null)));
        steps.AddRange(chains.Order(StringComparer.Ordinal).Select(c => new Step("nat", null, c)));

        const string Forward = "CNI-FORWARD", Admin = "CNI-ADMIN";
        var forwardRules = filterRules.Where(r => r.Chain == Forward).ToList();
        var ourForward = forwardRules.Where(r => r.Mentions(StackPaths.CniSubnetPrefix)).ToList();
        steps.AddRange(ourForward.Select(r => new Step("filter", r, null)));
        var othersLeft = forwardRules.Except(ourForward).Any(r => r.Jump != Admin) || filterRules.Any(r => r.Chain == Admin);
        if (filterChains.Contains(Forward) && !othersLeft)
        {
            steps.AddRange(filterRules.Where(r => r.Chain != Forward && r.Jump == Forward).Select(r => new Step("filter", r, null)));
            steps.Add(new Step("filter", null, Forward));
            if (filterChains.Contains(Admin) && !filterRules.Any(r => r.Chain != Forward && r.Jump == Admin)) steps.Add(new Step("filter", null, Admin));
        }
        return steps;
    }
}
