using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Web.Services;

/// <summary>The dry run the pages show before a run starts: the same plans and hosts as the engine, nothing changed.</summary>
public sealed class PlanPreviews(IPlanFactory plans, IHostFactory hosts, PanelSettings settings)
{
    public async Task<IReadOnlyList<StagePreview>> PreviewAsync(PlanRequest request, string hostSpec, CancellationToken cancellation)
    {
        var plan = plans.Create(request);
        await using var host = hosts.Create(hostSpec);
        return await PlanPreviewer.PreviewAsync(plan, request, host, settings.DataDirectory, cancellation);
    }
}
