namespace ControlPanel.Engine.Runs;

public sealed record EngineOptions(string DataDirectory)
{
    /// <summary>First pause before retrying a transient failure; doubles per attempt.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How often an executing run looks for a cancel asked by another process.</summary>
    public TimeSpan CancelPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long a stage may print nothing before its log says what it is waiting for.</summary>
    public TimeSpan QuietAfter { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Who starts runs here, recorded in each run ("cli", "panel:admin").</summary>
    public string Holder { get; init; } = "controlpanel";
    /// <summary>This process's name among the panel's nodes, recorded in each run it executes (`serve --node`; the machine's name by default).</summary>
    public string Node { get; init; } = Environment.MachineName;
}
