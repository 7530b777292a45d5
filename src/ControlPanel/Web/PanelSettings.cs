using ControlPanel.Composition;

namespace ControlPanel.Web;

/// <summary>How the panel was started.</summary>
public sealed record PanelSettings(string DataDirectory, string Urls)
{
    /// <summary>The plans the panel runs and where its nginx lives (the stack's on Debian's nginx, unless the entry point chose others).</summary>
    public PlanSource Plans { get; init; } = PlanSource.Stack;

    /// <summary>This node's name in the runs it executes (`serve --node`), when several nodes serve one panel.</summary>
    public string Node { get; init; } = Environment.MachineName;

    /// <summary>Runs the panel executes at once (Hangfire workers): a running run holds one for its whole length, so a batch's --parallel above this waits for free workers.</summary>
    public const int Workers = 20;
}
