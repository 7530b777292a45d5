namespace ControlPanel.Engine.Stages;

/// <summary>An ordered list of stages built from one request.</summary>
public sealed record Plan(string Kind, IReadOnlyList<Stage> Stages)
{
    public int IndexOf(string stageName)
    {
        for (var i = 0; i < Stages.Count; i++)
            if (Stages[i].Name == stageName) return i;
        return -1;
    }
}

/// <summary>
/// What a plan is built from: its kind and plain inputs, plus secrets kept apart (never stored with the run
/// row, never logged). Stored with the run so that another process can resume it.
/// </summary>
public sealed record PlanRequest(string Kind, IReadOnlyDictionary<string, string> Inputs, IReadOnlyDictionary<string, string> Secrets)
{
    public string? Input(string key) => Inputs.TryGetValue(key, out var v) ? v : null;
    public string? Secret(string key) => Secrets.TryGetValue(key, out var v) ? v : null;
}

/// <summary>Builds plans from requests; the engine asks it again when a run is resumed later.</summary>
public interface IPlanFactory
{
    /// <summary>
    /// Which set of plans this is ("stack", or a test fixture's "fixture:DIR"), recorded on each run and batch:
    /// a re-run must use the plans its run was started with, never silently another set of the same kinds.
    /// </summary>
    string Name { get; }

    Plan Create(PlanRequest request);
}
