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
    volatile bool changed;
    readonly CancellationTokenSource stop = new();

    bool IsActive => detail?.Run.State is RunState.Running or RunState.Queued;

    /// <summary>Stages whose check said why they ran; a failed one shows its error instead.</summary>
    IEnumerable<StageRunRecord> CheckedStages => detail?.Stages.Where(s => s.CheckReason is not null && s.Error is null) ?? [];

    protected override void OnInitialized()
    {
        Engine.Hub.RunChanged += OnRunChanged;
        _ = WatchAsync();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (loadedRunId == RunId) return;
        loadedRunId = RunId;
        detail = await Runs.GetAsync(RunId);
        if (!IsActive) await OnFinished.InvokeAsync();
    }

    void OnRunChanged(long id)
    {
        if (id == RunId) changed = true;
    }

    /// <summary>Reloads on the engine's signal, and every 2 s in case another process runs it.</summary>
    async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                if (!IsActive || !(changed || ++tick % 8 == 0)) continue;
                changed = false;
                await InvokeAsync(async () =>
                {
                    detail = await Runs.GetAsync(RunId);
                    if (!IsActive) await OnFinished.InvokeAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    public void Dispose()
    {
        Engine.Hub.RunChanged -= OnRunChanged;
        stop.Cancel();
    }
}
