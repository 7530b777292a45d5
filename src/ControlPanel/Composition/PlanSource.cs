using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Plans;

namespace ControlPanel.Composition;

/// <summary>
/// The plans this binary runs for install and uninstall, and where its nginx lives. The product's entry point runs
/// the stack's plans on Debian's nginx; another entry point (the test panel under tests/) hands the same CLI and
/// panel plans of its own, so nothing made for tests is in the product.
/// </summary>
/// <param name="current">The plans new runs start with.</param>
/// <param name="named">A set of plans by the name a stored run or batch recorded (null: this binary does not have it).</param>
/// <param name="notice">Shown on the Settings page and logged at start while plans other than the stack's are in use.</param>
public sealed class PlanSource(NginxTarget nginx, Func<NginxTarget, PlanCatalog> current, Func<string, PlanCatalog?> named, UserMessage? notice = null)
{
    public static PlanSource Stack { get; } =
        new(new NginxTarget(), StackPlans.Catalog, name => name == StackPlans.CatalogName ? StackPlans.Catalog() : null);

    public NginxTarget Nginx => nginx;

    public UserMessage? Notice => notice;

    public PlanCatalog Current() => current(nginx);

    public PlanCatalog? Named(string name) => named(name);
}
