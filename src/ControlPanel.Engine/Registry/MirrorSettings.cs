using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Registry;

/// <summary>
/// The mirror settings of a host for the panel and the CLI: what the host has now, and the dry run of a change.
/// Changes run like any plan: <c>RunEngine.StartAsync(MirrorRequest.ParseSet(...), hostSpec, who)</c>
/// (or <see cref="MirrorRequest.ParseReset"/>), so they are logged, resumable and hold the host's lock.
/// </summary>
public static class MirrorSettings
{
    public static Task<MirrorStatus> ReadAsync(IHost host, string dataDirectory, CancellationToken cancellation) =>
        MirrorStatus.ReadAsync(new StageContext(host, SilentLog.Instance, dataDirectory, cancellation));

    public static Task<IReadOnlyList<StagePreview>> PreviewAsync(IHost host, MirrorRequest request, string dataDirectory, CancellationToken cancellation) =>
        PlanPreviewer.PreviewAsync(MirrorPlans.Create(request), request, host, dataDirectory, cancellation);
}
