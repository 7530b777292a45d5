using ControlPanel.Engine.Data;

namespace ControlPanel.Engine.Runs;

/// <summary>What a run's job is called in the jobs dashboard: what it does and where ("Install on edge1, run 42").</summary>
public static class RunTitles
{
    static readonly Dictionary<string, string> Actions = new()
    {
        ["install"] = "Install",
        ["uninstall"] = "Uninstall",
        ["mirrors-set"] = "Set registry mirrors",
        ["mirrors-reset"] = "Reset registry mirrors",
        ["runtime-proxy-set"] = "Set the runtime proxy",
        ["runtime-proxy-reset"] = "Reset the runtime proxy",
        ["cache-install"] = "Install the registry cache",
        ["cache-uninstall"] = "Uninstall the registry cache",
        ["certificate-issue"] = "Issue a certificate",
        ["certificate-renew"] = "Renew a certificate",
        ["proxy-apply"] = "Apply the reverse proxy",
    };

    public static string Of(RunRecord run, RerunMode mode, int? stageIndex)
    {
        var action = Actions.GetValueOrDefault(run.Kind, run.Kind);
        var what = run.Attempts == 0 ? action
            : mode switch
            {
                RerunMode.Resume => $"Resume: {action}",
                RerunMode.From => $"Re-run from stage {stageIndex + 1}: {action}",
                _ => $"Re-run stage {stageIndex + 1}: {action}",
            };
        return $"{what} on {run.HostName ?? run.HostKey}, run {run.Id}{(run.BatchId is { } b ? $" (batch {b})" : "")}";
    }
}
