using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Pages;

/// <summary>
/// Uninstall: the dry run says what will be removed, the user confirms by typing the installed domain, and the
/// run view then shows what happened and the leftover report (the last stage's check).
/// </summary>
public partial class Uninstall
{
    /// <summary>What to type when no install is known (nothing names the host better).</summary>
    const string FallbackConfirmation = "uninstall";

    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] PlanPreviews Previews { get; set; } = default!;
    [Inject] RunQueries Runs { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    bool keepData;
    IReadOnlyList<StagePreview>? preview;
    string expected = FallbackConfirmation;
    string confirmation = "";
    string? message;
    long? activeRunId;
    bool busy;

    protected override async Task OnInitializedAsync() =>
        expected = await Runs.LatestSucceededInputAsync(InstallRequest.Kind, "domain") ?? FallbackConfirmation;

    PlanRequest Request => new UninstallRequest(keepData);

    async Task PreviewAsync()
    {
        busy = true;
        message = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            preview = await Previews.PreviewAsync(Request, "local", timeout.Token);
        }
        catch (OperationCanceledException) { message = S.PreviewTimedOut.ToString(); }
        finally { busy = false; }
    }

    async Task StartAsync()
    {
        if (confirmation.Trim() != expected || Controls.StartBlocked.Blocker(preview) is not null) return;
        busy = true;
        try
        {
            var handle = await Engine.StartAsync(Request, "local", await RequesterAsync());
            await AuditAsync(AuditActions.RunStart, $"run {handle.RunId}: uninstall{(keepData ? " keeping data" : "")}");
            Navigation.NavigateTo($"/runs/{handle.RunId}");
        }
        catch (HostBusyException e)
        {
            message = S.HostBusy.Format(e.Message);
            activeRunId = (await Runs.ActiveAsync())?.Id;
        }
        finally { busy = false; }
    }
}
