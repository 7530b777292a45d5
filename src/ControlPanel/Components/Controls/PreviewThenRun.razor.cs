using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using ControlPanel.Model;
using ControlPanel.Resources;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Components.Controls;

/// <summary>
/// One host change of a settings page (cache install, mirrors set, ...): the dry run first, then one click starts it
/// as a tracked run of the engine, on exactly the inputs previewed. The page owns the form and its field errors.
/// </summary>
public partial class PreviewThenRun
{
    /// <summary>Prefix of the buttons' data-test names.</summary>
    [Parameter, EditorRequired] public string Id { get; set; } = "";
    /// <summary>The page's form validated: the request, or every field that is wrong and why (shown by the page).</summary>
    [Parameter, EditorRequired] public Func<(PlanRequest? Request, FieldErrors Errors)> Validate { get; set; } = default!;
    /// <summary>Called with the field errors (or none) after every validation, also the engine's InputException.</summary>
    [Parameter] public EventCallback<FieldErrors> OnError { get; set; }
    /// <summary>Maps the engine's field names (CLI flags) to the page's form fields.</summary>
    [Parameter] public Func<string, string> FieldOf { get; set; } = f => f;
    [Parameter, EditorRequired] public string HostSpec { get; set; } = "local";
    /// <summary>The form's inputs; a start needs a preview of these.</summary>
    [Parameter, EditorRequired] public string Fingerprint { get; set; } = "";
    [Parameter, EditorRequired] public string StartText { get; set; } = "";
    [Parameter] public Color StartColor { get; set; } = Color.Primary;
    [Parameter, EditorRequired] public string AuditAction { get; set; } = "";
    [Parameter] public EventCallback OnFinished { get; set; }
    /// <summary>When set, told the run a start made, and the page shows that run itself (with its other runs) instead of this control.</summary>
    [Parameter] public EventCallback<long> OnStarted { get; set; }

    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] PlanPreviews Previews { get; set; } = default!;
    [Inject] RunQueries Runs { get; set; } = default!;

    IReadOnlyList<StagePreview>? preview;
    string? previewed;
    string? message;
    long? activeRunId;
    long? workRunId;
    bool busy;

    bool PreviewCurrent => preview is not null && previewed == Fingerprint + '\u001f' + HostSpec;
    bool Startable => PreviewCurrent && StartBlocked.Blocker(preview) is null;

    async Task<PlanRequest?> ValidatedAsync()
    {
        var (request, errors) = Validate();
        await OnError.InvokeAsync(errors);
        return request;
    }

    async Task PreviewAsync()
    {
        message = null;
        if (await ValidatedAsync() is not { } request) return;
        busy = true;
        preview = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var fingerprint = Fingerprint + '\u001f' + HostSpec;
            preview = await Previews.PreviewAsync(request, HostSpec, timeout.Token);
            previewed = fingerprint;
        }
        catch (InputException e) { await OnError.InvokeAsync(FieldErrors.Of(e, FieldOf)); }
        catch (OperationCanceledException) { message = S.PreviewTimedOut.ToString(); }
        finally { busy = false; }
    }

    async Task StartAsync()
    {
        if (await ValidatedAsync() is not { } request || !Startable) return;
        busy = true;
        message = null;
        activeRunId = null;
        try
        {
            var handle = await Engine.StartAsync(request, HostSpec, await RequesterAsync());
            if (OnStarted.HasDelegate) await OnStarted.InvokeAsync(handle.RunId);
            else workRunId = handle.RunId;
            preview = null;
            await AuditAsync(AuditAction, $"run {handle.RunId} on {HostSpec}: " + string.Join(" ", request.Store().Inputs.Where(i => i.Value.Length > 0).Select(i => $"{i.Key}={i.Value.Replace('\n', ',')}")));
        }
        catch (HostBusyException e)
        {
            message = S.HostBusy.Format(e.Message);
            activeRunId = (await Runs.ActiveAsync())?.Id;
        }
        catch (InputException e) { await OnError.InvokeAsync(FieldErrors.Of(e, FieldOf)); }
        finally { busy = false; }
    }
}
