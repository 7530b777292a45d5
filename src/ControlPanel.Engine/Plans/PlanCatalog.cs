using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Plans;

/// <summary>The plan kinds this build knows ("install", "uninstall", ...), each a function from request to stages.</summary>
public sealed class PlanCatalog(string name) : IPlanFactory
{
    static readonly MessageTemplate UnknownPlan = new("input.unknown-plan", "is not a known plan (known: {plans})");

    readonly Dictionary<string, Func<PlanRequest, Plan>> kinds = new(StringComparer.Ordinal);

    public string Name => name;

    public PlanCatalog Add(string kind, Func<PlanRequest, Plan> create)
    {
        kinds[kind] = create;
        return this;
    }

    public IReadOnlyCollection<string> Kinds => kinds.Keys;

    public Plan Create(PlanRequest request) =>
        kinds.TryGetValue(request.Kind, out var create)
            ? create(request)
            : throw new InputException("kind", request.Kind, UnknownPlan.With(("plans", string.Join(", ", kinds.Keys))));
}
