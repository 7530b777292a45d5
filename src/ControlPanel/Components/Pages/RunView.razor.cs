using ControlPanel.Components.Dialogs;
using ControlPanel.Components.Controls;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Components.Pages;

/// <summary>
/// One run: its stages, live log and history, with cancel and the re-run modes. Read once when the page opens (a
/// reload, a sleep or a lost connection comes back to the truth); after that the run's news from the engine
/// (<see cref="RunNews"/>) keeps it current, also for runs another process (the CLI) executes: the page never polls.
/// </summary>
public partial class RunView
{
    [Parameter] public long RunId { get; set; }
    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] RunQueries Runs { get; set; } = default!;
    [Inject] RunLogFeed Feed { get; set; } = default!;
    [Inject] OneTimeNotice Notice { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    RunDetail? detail;
    IReadOnlyList<string> stageNames = [];
    LiveLog? liveLog;
    RunLogLease? counts;
    bool loaded;
    bool busy;
    string? message;
    string? secret;
    readonly CancellationTokenSource stop = new();
    long loadedRunId;

    bool IsActive => detail?.Run.State is RunState.Running or RunState.Queued;
    int Done => detail?.Stages.Count(s => s.State.IsDone()) ?? 0;
    StageRunRecord? FailedStage => detail?.Run.State == RunState.Failed ? detail.Stages.FirstOrDefault(s => s.State == RunState.Failed) : null;

    protected override void OnInitialized()
    {
        Engine.News.Changed += OnNews;
        _ = TickAsync();
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

    void OnNews(RunDetail news)
    {
        if (news.Run.Id != RunId) return;
        _ = InvokeAsync(() =>
        {
            Show(news);
            StateHasChanged();
        });
    }

    void Show(RunDetail? news)
    {
        detail = news;
        stageNames = detail?.Stages.Select(s => s.Name).ToList() ?? [];
        loaded = true;
    }

    async Task LoadAsync() => Show(await Runs.GetAsync(RunId));

    /// <summary>A running run's durations move on: it is drawn again each second (from what the page holds, nothing read).</summary>
    async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
                if (IsActive) await InvokeAsync(StateHasChanged);
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    long LiveLines(int stageIndex) => counts?.Log.LinesOfStage(stageIndex) ?? 0;
    LogEntry? LiveActivity(int stageIndex) => counts?.Log.ActivityOfStage(stageIndex);

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
        }
        catch (HostBusyException e) { message = S.HostBusy.Format(e.Message); }
        catch (InputException e) { message = S.Engine(e.UserMessage); }
        catch (Exception e) when (e is KeyNotFoundException or ArgumentException) { message = e.Message; }
        finally { busy = false; }
    }

    async Task DeleteAsync()
    {
        if (!await Dialogs.ConfirmAsync(S.DeleteConfirm.Format(RunId), S.Delete.ToString())) return;
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
        Engine.News.Changed -= OnNews;
        stop.Cancel();
        counts?.Dispose();
    }
}
