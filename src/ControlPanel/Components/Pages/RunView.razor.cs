using ControlPanel.Components.Controls;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;
using Radzen;

namespace ControlPanel.Components.Pages;

/// <summary>
/// One run: its stages, live log and history, with cancel and the re-run modes. Everything shown is read
/// from the database and the log files, so a reload, a sleep or a lost connection comes back to the truth,
/// also for runs another process (the CLI) executes.
/// </summary>
public partial class RunView
{
    static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);

    [Parameter] public long RunId { get; set; }
    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] RunQueries Runs { get; set; } = default!;
    [Inject] RunLogFeed Feed { get; set; } = default!;
    [Inject] OneTimeNotice Notice { get; set; } = default!;
    [Inject] DialogService Dialogs { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    RunDetail? detail;
    IReadOnlyList<string> stageNames = [];
    LiveLog? liveLog;
    RunLogLease? counts;
    bool loaded;
    bool busy;
    string? message;
    string? secret;
    volatile bool changed;
    readonly CancellationTokenSource stop = new();
    long loadedRunId;

    bool IsActive => detail?.Run.State is RunState.Running or RunState.Queued;
    int Done => detail?.Stages.Count(s => s.State.IsDone()) ?? 0;
    StageRunRecord? FailedStage => detail?.Run.State == RunState.Failed ? detail.Stages.FirstOrDefault(s => s.State == RunState.Failed) : null;

    protected override void OnInitialized()
    {
        Engine.Hub.RunChanged += OnRunChanged;
        _ = RefreshLoopAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (loadedRunId == RunId) return;
        loadedRunId = RunId;
        counts?.Dispose();
        counts = Feed.Watch(RunId);
        secret = Notice.Take(RunId);
        message = null;
        await LoadAsync();
    }

    void OnRunChanged(long id)
    {
        if (id == RunId) changed = true;
    }

    async Task LoadAsync()
    {
        detail = await Runs.GetAsync(RunId);
        stageNames = detail?.Stages.Select(s => s.Name).ToList() ?? [];
        loaded = true;
    }

    /// <summary>
    /// Reloads on a change signal from the engine (runs of this process), by polling while a run of another
    /// process (the CLI) is active, and every few seconds otherwise (another process may start it again).
    /// Between reloads an active run only re-renders once a second, for the running durations.
    /// </summary>
    async Task RefreshLoopAsync()
    {
        using var timer = new PeriodicTimer(Refresh);
        var tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                tick++;
                var reload = changed || (IsActive && !Engine.IsActive(RunId)) || tick % 6 == 0;
                if (!reload && !(IsActive && tick % 2 == 0)) continue;
                changed = false;
                await InvokeAsync(async () =>
                {
                    if (reload) await LoadAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    long LiveLines(int stageIndex) => counts?.Log.LinesOfStage(stageIndex) ?? 0;

    async Task CancelAsync()
    {
        busy = true;
        try
        {
            await Engine.CancelAsync(RunId);
            await AuditAsync(AuditActions.RunCancel, $"run {RunId}");
            message = S.CancelAsked.ToString();
        }
        finally { busy = false; }
    }

    async Task RerunAsync(RerunMode mode, string? stage)
    {
        busy = true;
        message = null;
        try
        {
            await Engine.RerunAsync(RunId, mode, stage, await RequesterAsync());
            await AuditAsync(AuditActions.RunRerun, $"run {RunId}: {mode.ToString().ToLowerInvariant()}{(stage is null ? "" : " " + stage)}");
            await LoadAsync();
        }
        catch (HostBusyException e) { message = S.HostBusy.Format(e.Message); }
        catch (InputException e) { message = S.Engine(e.UserMessage); }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentException) { message = e.Message; }
        finally { busy = false; }
    }

    async Task DeleteAsync()
    {
        if (await Dialogs.Confirm(S.DeleteConfirm.Format(RunId), S.Delete.ToString(),
                new ConfirmOptions { OkButtonText = S.Delete.ToString(), CancelButtonText = S.Back.ToString() }) != true) return;
        try
        {
            await Engine.DeleteAsync(RunId);
            await AuditAsync(AuditActions.RunDelete, $"run {RunId}");
            Navigation.NavigateTo("/runs");
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException) { message = e.Message; }
    }

    public void Dispose()
    {
        Engine.Hub.RunChanged -= OnRunChanged;
        stop.Cancel();
        counts?.Dispose();
    }
}
