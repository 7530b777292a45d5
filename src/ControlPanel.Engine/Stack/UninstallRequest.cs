using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>What an uninstall is asked for: keep the data (faasd secrets, containerd images, certificates) or purge it.</summary>
public sealed record UninstallRequest(bool KeepData)
{
    public const string Kind = "uninstall";

    public PlanRequest ToPlanRequest() => new(Kind,
        new Dictionary<string, string> { ["keepData"] = KeepData ? "true" : "false" },
        new Dictionary<string, string>());

    public static UninstallRequest From(PlanRequest r) => new(r.Input("keepData") == "true");
}
