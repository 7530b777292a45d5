using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>Our 8080/8081 chain: its unit stopped (ExecStop removes the rules) and removed, and the chain gone whatever state the unit was in.</summary>
public sealed class RemoveFirewallStage : Stage
{
    public override string Name => "remove-firewall";
    public override string Title => $"Remove the {FirewallStage.Chain} chain and its unit";

    static readonly string[] Tools = ["iptables", "ip6tables"];

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        // Asked at once (over SSH each is a round trip), judged in order.
        var files = HostFiles.ExistingAsync(context, [StackPaths.FirewallUnit, StackPaths.FirewallRulesV4, StackPaths.FirewallRulesV6]);
        var chains = context.AtOnceAsync(Tools.Select(tool => (Func<Task<bool>>)(async () => (await context.ProbeAsync(tool, "-w", "-S", FirewallStage.Chain)).ExitCode == 0)).ToArray());
        await Task.WhenAll(files, chains);
        if (await files is { Count: > 0 } left) return StageCheck.Needed(CheckReasons.Left.With(("items", string.Join(", ", left))));
        foreach (var (tool, exists) in Tools.Zip(await chains))
            if (exists) return StageCheck.Needed(UninstallReasons.ChainExists.With(("tool", tool), ("chain", FirewallStage.Chain)));
        return StageCheck.Satisfied(UninstallReasons.NoFirewall.Message());
    }

    public override async Task ApplyAsync(StageContext context)
    {
        if (await Systemd.IsKnownAsync(context, FirewallStage.UnitName))
        {
            await context.RunAsync("systemctl", "disable", "--now", FirewallStage.UnitName);
        }
        foreach (var tool in Tools)
        {
            if ((await context.ProbeAsync(tool, "-w", "-S", FirewallStage.Chain)).ExitCode != 0) continue;
            while ((await context.ProbeAsync(tool, "-w", "-C", "INPUT", "-j", FirewallStage.Chain)).ExitCode == 0)
            {
                await context.RunAsync(tool, "-w", "-D", "INPUT", "-j", FirewallStage.Chain);
                if (context.DryRun) break;
            }
            await context.RunAsync(tool, "-w", "-F", FirewallStage.Chain);
            await context.RunAsync(tool, "-w", "-X", FirewallStage.Chain);
        }
        var removedUnit = (await context.DeleteFileAsync(StackPaths.FirewallUnit)).Changed;
        await context.DeleteFileAsync(StackPaths.FirewallRulesV4);
        await context.DeleteFileAsync(StackPaths.FirewallRulesV6);
        if (removedUnit) await Systemd.DaemonReloadAsync(context);
    }
}
