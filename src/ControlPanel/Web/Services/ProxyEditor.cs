using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Web.Services;

/// <summary>What applying the routes did: the commands and messages, and nginx's refusal when there was one.</summary>
public sealed record ProxyApplyResult(bool Applied, IReadOnlyList<string> Log, string? Error, NginxError? NginxError);

/// <summary>
/// The proxy page's engine work on this machine: the routes (DATA/proxy/routes.json, panel.sh's routes for the
/// installed domain the first time), the diff of the site file they render to, and the safe apply of
/// <see cref="NginxStage"/> (nginx -t, swap, reload, rollback) under the host lock. routes.json only keeps routes
/// nginx took: on a refusal the previous file is put back.
/// </summary>
public sealed class ProxyEditor(PanelSettings settings, IHostFactory hosts)
{
    const string HostSpec = "local";

    public string RoutesFile => ProxyRoutesStore.PathIn(settings.DataDirectory);
    public string SitePath => settings.Nginx.SitePath;

    /// <summary>The stored routes, or panel.sh's routes for the given domain (empty when nothing is installed yet).</summary>
    public ProxySettings Load(string? installedDomain) =>
        ProxyRoutesStore.Load(settings.DataDirectory) ?? DefaultSite.For(installedDomain ?? "", "faasd");

    /// <summary>Validates (InputException names the field) and returns the unified diff of the site file; "" when nothing would change.</summary>
    public async Task<string> DiffAsync(ProxySettings edited, CancellationToken ct)
    {
        var site = edited.Validate();
        await using var host = hosts.Create(HostSpec);
        var current = await host.ReadFileAsync(SitePath, ct) ?? "";
        return UnifiedDiff.Compute(SitePath, current, await NginxSiteFile.RenderAsync(host, settings.Nginx, site, ct));
    }

    public async Task<ProxyApplyResult> ApplyAsync(ProxySettings edited, string holder, CancellationToken ct)
    {
        var site = edited.Validate();
        await using var host = hosts.Create(HostSpec);
        using var hostLock = ProxyApply.Lock(settings.DataDirectory, host, holder);
        var previous = File.Exists(RoutesFile) ? await File.ReadAllTextAsync(RoutesFile, ct) : null;
        ProxyRoutesStore.Save(settings.DataDirectory, edited);
        var log = new ListLog();
        try
        {
            await ProxyApply.RunAsync(host, settings.Nginx, site.Domain, settings.DataDirectory, log, ct);
            return new ProxyApplyResult(true, log.Lines, null, null);
        }
        catch (StageFailedException e)
        {
            RestoreRoutes(previous);
            return new ProxyApplyResult(false, log.Lines, e.Message, (e as NginxConfigRejectedException)?.Error);
        }
        catch
        {
            RestoreRoutes(previous);
            throw;
        }
    }

    void RestoreRoutes(string? previous)
    {
        if (previous is null) File.Delete(RoutesFile);
        else Engine.Files.AtomicFile.Write(RoutesFile, previous, Engine.Files.AtomicFile.Public);
    }

    sealed class ListLog : IStageLog
    {
        readonly List<string> lines = new();
        public IReadOnlyList<string> Lines { get { lock (lines) return lines.ToList(); } }
        public void Info(string message) { lock (lines) lines.Add(message); }
        public void Warn(string message) { lock (lines) lines.Add("warning: " + message); }
        public void Output(OutputLine line) { lock (lines) lines.Add("    " + line.Text); }
    }
}
