using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The proxy routes applied outside a run (the proxy page, `proxy apply`): the install plan's own
/// <see cref="NginxStage"/> for the domain, under the host lock so no run edits the site meanwhile.
/// </summary>
public static class ProxyApply
{
    public static PlanRequest Request(string domain) =>
        new("proxy", new Dictionary<string, string> { ["domain"] = domain }, new Dictionary<string, string>());

    /// <summary>The host lock, or <see cref="HostBusyException"/> naming who holds it. Callers keep it over their own routes.json edits too.</summary>
    public static HostLock Lock(string dataDirectory, IHost host, string holder) =>
        HostLock.TryAcquire(dataDirectory, host.Key, holder) ?? throw new HostBusyException(host.Key, HostLock.Describe(dataDirectory, host.Key));

    /// <summary>Applies and verifies the site (nginx -t, swap, reload, rollback); nginx's refusal is a <see cref="StageFailedException"/>.</summary>
    public static async Task RunAsync(IHost host, NginxTarget target, string domain, string dataDirectory, IStageLog log, CancellationToken ct)
    {
        var stage = new NginxStage(target);
        var context = new StageContext(host, Request(domain), log, dataDirectory, ct);
        await stage.ApplyAsync(context);
        await stage.VerifyAsync(context);
    }
}
