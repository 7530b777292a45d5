using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Plans;

/// <summary>The plan kinds this build knows ("install", "uninstall", ...), each a function from request to stages.</summary>
public sealed class PlanCatalog(string name) : IPlanFactory
{
    static readonly MessageTemplate UnknownPlan = new("input.unknown-plan", "is not a known plan (known: {plans})");

    readonly Dictionary<string, (Func<StoredRequest, PlanRequest> Read, Func<PlanRequest, Plan> Create)> kinds = new(StringComparer.Ordinal);

    public string Name => name;

    /// <summary>A plan kind: how its stored request reads back, and the stages a request of it makes.</summary>
    public PlanCatalog Add<T>(string kind, Func<StoredRequest, T> read, Func<T, Plan> create) where T : PlanRequest
    {
        kinds[kind] = (read, r => create((T)r));
        return this;
    }

    public IReadOnlyCollection<string> Kinds => kinds.Keys;

    public Plan Create(PlanRequest request) => Of(request.PlanKind).Create(request);

    public PlanRequest Read(StoredRequest stored) => Of(stored.Kind).Read(stored);

    (Func<StoredRequest, PlanRequest> Read, Func<PlanRequest, Plan> Create) Of(string kind) =>
        kinds.TryGetValue(kind, out var entry)
            ? entry
            : throw new InputException("kind", kind, UnknownPlan.With(("plans", string.Join(", ", kinds.Keys))));
}
