using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using ControlPanel.Model;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Pages;

/// <summary>The install form: inline validation naming the field, the dry run of the plan, then one click to start.</summary>
public partial class Install
{
    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] PlanPreviews Previews { get; set; } = default!;
    [Inject] PanelDefaults Defaults { get; set; } = default!;
    [Inject] RunQueries Runs { get; set; } = default!;
    [Inject] OneTimeNotice Notice { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] ControlPanel.Web.PanelSettings Panel { get; set; } = default!;

    string SshKey => Path.Combine(Panel.DataDirectory, "ssh", "id_ed25519");
    string KnownHostsFile => KnownHosts.In(Panel.DataDirectory).Path;

    readonly InstallForm form = new();
    FieldErrors errors = FieldErrors.None;
    IReadOnlyList<StagePreview>? preview;
    string? previewedFingerprint;
    string? message;
    long? activeRunId;
    bool busy;
    bool touched;
    readonly HashSet<string> typed = [];

    bool PreviewCurrent => preview is not null && previewedFingerprint == form.Fingerprint && !errors.Any;
    bool Startable => PreviewCurrent && Controls.StartBlocked.Blocker(preview) is null;

    protected override async Task OnInitializedAsync()
    {
        var defaults = await Defaults.GetAsync();
        form.Profile = defaults.Profile;
        form.DownloadMirror = defaults.DownloadMirror;
    }

    /// <summary>
    /// Validates as the user types: a field's error shows once that field was typed in, every field's once a preview was
    /// asked for; a fixed field's error goes at the next keystroke.
    /// </summary>
    void Changed(string field)
    {
        typed.Add(field);
        var all = form.Validate().Errors;
        errors = touched ? all : all.Only(typed);
    }

    async Task PreviewAsync()
    {
        touched = true;
        message = null;
        (var request, errors) = form.Validate();
        if (request is null) return;
        busy = true;
        preview = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            preview = await Previews.PreviewAsync(request, form.HostSpec, timeout.Token);
            previewedFingerprint = form.Fingerprint;
        }
        catch (InputException e) { errors = FieldErrors.Of(e, InstallForm.FieldOf); }
        catch (OperationCanceledException) { message = S.PreviewTimedOut.ToString(); }
        finally { busy = false; }
    }

    async Task StartAsync()
    {
        (var request, errors) = form.Validate();
        if (request is null || !Startable) return;
        busy = true;
        message = null;
        activeRunId = null;
        try
        {
            var handle = await Engine.StartAsync(request, form.HostSpec, await RequesterAsync());
            await AuditAsync(AuditActions.RunStart, $"run {handle.RunId}: install {request.Domain} on {form.HostSpec}");
            if (form.GeneratePassword) Notice.Leave(handle.RunId, form.GeneratedPassword);
            Navigation.NavigateTo($"/runs/{handle.RunId}");
        }
        catch (HostBusyException e)
        {
            message = S.HostBusy.Format(e.Message);
            activeRunId = (await Runs.ActiveAsync())?.Id;
        }
        catch (InputException e) { errors = FieldErrors.Of(e, InstallForm.FieldOf); }
        finally { busy = false; }
    }
}
