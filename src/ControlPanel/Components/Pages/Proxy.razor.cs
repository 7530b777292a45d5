using ControlPanel.Model;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Validation;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;
using ControlPanel.Engine.Stack;

namespace ControlPanel.Components.Pages;

/// <summary>
/// The proxy routes: an editor validated by the engine (the error names the field), the diff of the site file
/// before anything changes, and an apply that nginx must accept (its own error with file:line otherwise).
/// </summary>
public partial class Proxy
{
    /// <summary>The Host header sent upstream: the client's or the upstream's own.</summary>
    static IReadOnlyList<(string Value, string Text)> HostHeaders => [("client", S.HostClient.ToString()), ("upstream", S.HostUpstream.ToString())];

    [Inject] ProxyEditor Editor { get; set; } = default!;
    [Inject] RunQueries Runs { get; set; } = default!;

    ProxySettings settings = new();
    FieldErrors errors = FieldErrors.None;
    string? diff;
    string? previewed;
    string? message;
    ProxyApplyResult? result;
    bool busy;
    bool touched;

    string Fingerprint => ProxyRoutesStore.Serialize(settings);
    bool PreviewCurrent => diff is not null && previewed == Fingerprint && !errors.Any;

    protected override async Task OnInitializedAsync()
    {
        try { settings = Editor.Load(await Runs.LatestSucceededInputAsync(InstallRequest.Kind, "domain")); }
        catch (InputException e) { message = S.InputError(e); }
    }

    string[] DiffLines => diff!.TrimEnd('\n').Split('\n');

    static string LineClass(string line) =>
        line.StartsWith("+++") || line.StartsWith("---") ? "" : line.StartsWith('+') ? "add" : line.StartsWith('-') ? "del" : line.StartsWith("@@") ? "hunk" : "";

    void Changed()
    {
        if (!touched) return;
        try { settings.Validate(); errors = FieldErrors.None; }
        catch (InputException e) { errors = FieldErrors.Of(e); }
    }

    void SetStartPage(ProxyRouteSettings route, string? value)
    {
        route.StartPage = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        Changed();
    }

    void Add()
    {
        settings.Routes.Add(new ProxyRouteSettings { HostHeader = "client" });
        Changed();
    }

    void Remove(int index)
    {
        settings.Routes.RemoveAt(index);
        Changed();
    }

    async Task PreviewAsync()
    {
        touched = true;
        message = null;
        result = null;
        busy = true;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            diff = await Editor.DiffAsync(settings, timeout.Token);
            previewed = Fingerprint;
            errors = FieldErrors.None;
        }
        catch (InputException e) { errors = FieldErrors.Of(e); diff = null; }
        catch (OperationCanceledException) { message = S.PreviewTimedOut.ToString(); }
        finally { busy = false; }
    }

    async Task ApplyAsync()
    {
        if (!PreviewCurrent) return;
        busy = true;
        message = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            result = await Editor.ApplyAsync(settings, await RequesterAsync(), timeout.Token);
            await AuditAsync(AuditActions.ProxyApply, $"{settings.Domain}: {settings.Routes.Count} routes, {(result.Applied ? "applied" : "refused: " + (result.NginxError?.ToString() ?? result.Error))}");
            if (result.Applied) diff = await Editor.DiffAsync(settings, timeout.Token);
        }
        catch (HostBusyException e) { message = S.HostBusy.Format(e.Message); }
        catch (InputException e) { errors = FieldErrors.Of(e); }
        catch (OperationCanceledException) { message = S.PreviewTimedOut.ToString(); }
        finally { busy = false; }
    }
}
