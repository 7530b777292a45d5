using ControlPanel.Engine.Logging;

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
/// What a plan is built from: a typed request (InstallRequest, MirrorRequest, CacheRequest, ...), validated where it is
/// made, at the edge; the plan hands each stage what it needs of it. Invalid input is reported by field key
/// ("domain"), which each face words its own way (the CLI's --domain, the panel's field).
/// </summary>
public abstract record PlanRequest
{
    /// <summary>The plan this request is for ("install", "mirrors-set", ...).</summary>
    public abstract string PlanKind { get; }

    /// <summary>The request as a run keeps it, for another process to resume it: plain inputs, and secrets kept apart.</summary>
    public abstract StoredRequest Store();

    /// <summary>Hides the request's secret values wherever they could show: the one masking of logs and previews.</summary>
    public SecretMasker Masker() => new(Store().Secrets.Values);
}

/// <summary>
/// A request as it is kept with its run: plain inputs (in the run's row) and secrets (in DATA/secrets, mode 0600, never
/// in the database, never logged: the engine masks their values in logs and previews). Read back only by the request
/// type's own From.
/// </summary>
public sealed record StoredRequest(string Kind, IReadOnlyDictionary<string, string> Inputs, IReadOnlyDictionary<string, string> Secrets)
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

    /// <summary>A stored request back as its type (to resume or re-run a run, or start a batch's waiting host).</summary>
    PlanRequest Read(StoredRequest stored);
}
