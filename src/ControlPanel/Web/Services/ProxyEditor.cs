using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Web.Services;

/// <summary>What applying the routes did: the commands and messages, and nginx's refusal when there was one.</summary>
public sealed record ProxyApplyResult(bool Applied, IReadOnlyList<string> Log, string? Error, NginxError? NginxError, long RunId);

/// <summary>
/// The proxy page's engine work on this machine: the routes (DATA/proxy/routes.json, panel.sh's routes for the
/// installed domain the first time), the diff of the site file they render to, and the safe apply of
/// <see cref="NginxStage"/> (nginx -t, swap, reload, rollback) as a run of <see cref="ProxyApply"/>. routes.json only
/// keeps routes nginx took.
/// </summary>
public sealed class ProxyEditor(PanelSettings settings, IHostFactory hosts, RunEngine engine)
{
    const string HostSpec = "local";

    public string RoutesFile => ProxyRoutesStore.PathIn(settings.DataDirectory);
    public string SitePath => settings.Plans.Nginx.SitePath;

    /// <summary>The stored routes, or panel.sh's routes for the given domain (empty when nothing is installed yet).</summary>
    public ProxySettings Load(string? installedDomain) =>
        ProxyRoutesStore.Load(settings.DataDirectory) ?? DefaultSite.For(installedDomain ?? "", "faasd");

    /// <summary>Validates (InputException names the field) and returns the unified diff of the site file; "" when nothing would change.</summary>
    public async Task<string> DiffAsync(ProxySettings edited, CancellationToken ct)
    {
        var site = edited.Validate();
        await using var host = hosts.Create(HostSpec);
        var current = await host.ReadFileAsync(SitePath, ct) ?? "";
        return UnifiedDiff.Compute(SitePath, current, await NginxSiteFile.RenderAsync(host, settings.Plans.Nginx, site, ct));
    }

    /// <summary>Applies the routes as a run (logged, under the host lock) and waits for it; nginx's refusal is the result, not an exception.</summary>
    public async Task<ProxyApplyResult> ApplyAsync(ProxySettings edited, string holder, CancellationToken ct)
    {
        edited.Validate();
        var handle = await engine.StartAsync(new ProxyApplyRequest(edited), HostSpec, holder);
        var state = await handle.Completion.WaitAsync(ct);
        var log = engine.Logs.Read(handle.RunId).Select(e => e.Text).ToList();
        if (state == RunState.Succeeded) return new ProxyApplyResult(true, log, null, null, handle.RunId);
        var error = await engine.FailureOfAsync(handle.RunId);
        return new ProxyApplyResult(false, log, error, error is null ? null : NginxErrorParser.Parse(error.Split('\n')), handle.RunId);
    }
}
