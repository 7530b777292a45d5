using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Controls;

/// <summary>
/// The run a page action started (issue, renew): its state, the check's words and the error verbatim, live until it
/// ends; then <see cref="OnFinished"/> lets the page reload what the run changed. The full log is one click away.
/// </summary>
public partial class TrackedRun
{
    [Parameter, EditorRequired] public long RunId { get; set; }
    [Parameter] public EventCallback OnFinished { get; set; }
    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] RunQueries Runs { get; set; } = default!;

    RunDetail? detail;
    long loadedRunId;

    bool IsActive => detail?.Run.State is RunState.Running or RunState.Queued;

    /// <summary>Stages whose check said why they ran; a failed one shows its error instead.</summary>
    IEnumerable<StageRunRecord> CheckedStages => detail?.Stages.Where(s => s.CheckReason is not null && s.Error is null) ?? [];

    protected override void OnInitialized()
    {
        Engine.News.Changed += OnNews;
    }

    protected override async Task OnParametersSetAsync()
    {
        if (loadedRunId == RunId) return;
        loadedRunId = RunId;
        detail = await Runs.GetAsync(RunId);
        if (!IsActive) await OnFinished.InvokeAsync();
    }

    /// <summary>The engine's news of the run, whichever process executes it; the control never polls.</summary>
    void OnNews(RunDetail news)
    {
        if (news.Run.Id != RunId) return;
        _ = InvokeAsync(async () =>
        {
            var wasActive = IsActive;
            detail = news;
            if (wasActive && !IsActive) await OnFinished.InvokeAsync();
            StateHasChanged();
        });
    }

    public void Dispose() => Engine.News.Changed -= OnNews;
}
