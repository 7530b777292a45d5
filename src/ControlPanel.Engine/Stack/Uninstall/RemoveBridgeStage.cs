using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>The openfaas0 bridge CNI made, and any veth still enslaved to it (faasd's own uninstall notes forget this).</summary>
public sealed class RemoveBridgeStage : Stage
{
    public override string Name => "remove-bridge";
    public override string Title => $"Delete the {StackPaths.Bridge} bridge";

    public override async Task<StageCheck> CheckAsync(StageContext context) =>
        (await context.ProbeAsync("ip", "-o", "link", "show", "dev", StackPaths.Bridge)).ExitCode == 0
            ? StageCheck.Needed(CheckReasons.Exists.With(("path", StackPaths.Bridge)))
            : StageCheck.Satisfied(UninstallReasons.NoLink.With(("link", StackPaths.Bridge)));

    public override async Task ApplyAsync(StageContext context)
    {
        var ports = await context.ProbeAsync("ip", "-o", "link", "show", "master", StackPaths.Bridge);
        foreach (var name in LinkNames(ports.Stdout))
            await context.RunAsync(new Processes.ProcessSpec(["ip", "link", "del", "dev", name]) { OkExitCodes = [0, 1] });
        await context.RunAsync("ip", "link", "del", "dev", StackPaths.Bridge);
    }

    /// <summary>Link names in `ip -o link show` output ("3: veth1234@if2: &lt;...&gt;" -> veth1234).</summary>
    public static IEnumerable<string> LinkNames(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 3))
            .Where(p => p.Length == 3)
            .Select(p => p[1].Trim().Split('@')[0]);
}
