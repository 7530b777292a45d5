using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>What an uninstall is asked for: keep the data (faasd secrets, containerd images, certificates) or purge it.</summary>
public sealed record UninstallRequest(bool KeepData) : PlanRequest
{
    public const string Kind = "uninstall";

    public override string PlanKind => Kind;

    public override StoredRequest Store() => new(Kind,
        new Dictionary<string, string> { ["keepData"] = KeepData ? "true" : "false" },
        new Dictionary<string, string>());

    public static UninstallRequest From(StoredRequest r) => new(r.Input("keepData") == "true");
}
