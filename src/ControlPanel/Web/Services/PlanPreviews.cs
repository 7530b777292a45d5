using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Web.Services;

/// <summary>The dry run the pages show before a run starts: the same plans and hosts as the engine, nothing changed.</summary>
public sealed class PlanPreviews(IPlanFactory plans, IHostFactory hosts, PanelSettings settings)
{
    public async Task<IReadOnlyList<StagePreview>> PreviewAsync(PlanRequest request, string hostSpec, CancellationToken cancellation)
    {
        var plan = plans.Create(request);
        await using var host = hosts.Create(hostSpec);
        var previews = await PlanPreviewer.PreviewAsync(plan, request, host, settings.DataDirectory, cancellation);
        // Commands and errors could echo an input; secrets never reach the browser.
        var masker = new SecretMasker(request.Secrets.Values);
        return previews.Select(p => p with
        {
            Reason = p.Reason is null ? null : masker.Apply(p.Reason),
            Error = p.Error is null ? null : masker.Apply(p.Error),
            ReasonMessage = p.ReasonMessage?.Map(masker.Apply),
            ErrorMessage = p.ErrorMessage?.Map(masker.Apply),
            Actions = p.Actions.Select(a => a.Command is not null
                ? a with { Command = masker.Apply(a.Command) }
                : a with { File = a.File! with { Diff = masker.Apply(a.File.Diff) } }).ToList(),
        }).ToList();
    }
}
