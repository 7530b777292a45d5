using ControlPanel.Engine.Logging;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.JSInterop;

namespace ControlPanel.Components.Controls;

/// <summary>
/// The live log of a run: virtualised (only the visible rows are in the page, so 100k+ lines stay cheap),
/// updated in batches every 150 ms from the shared RunLogFeed, with follow, search and download.
/// </summary>
public partial class LiveLog
{
    static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(150);

    [Parameter, EditorRequired] public long RunId { get; set; }
    /// <summary>Stage names by index, shown in each line.</summary>
    [Parameter] public IReadOnlyList<string> StageNames { get; set; } = [];
    [Inject] RunLogFeed Feed { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;

    RunLogLease? lease;
    long watchedRunId;
    Virtualize<LogEntry>? virtualize;
    ElementReference box;
    DotNetObjectReference<LiveLog>? self;
    readonly CancellationTokenSource stop = new();
    int shown;
    /// <summary>When the server rendered the current count (Unix ms): lets a benchmark split server and browser delay.</summary>
    long renderedAt;
    bool follow = true;
    bool scrollToEnd = true;
    string search = "";
    List<int>? matches;
    int searchedUpTo;

    protected override void OnParametersSet()
    {
        if (lease is not null && watchedRunId == RunId) return;
        lease?.Dispose();
        lease = Feed.Watch(RunId);
        watchedRunId = RunId;
        shown = lease.Log.Count;
        matches = null;
        search = "";
        scrollToEnd = follow;
        if (virtualize is not null) _ = InvokeAsync(virtualize.RefreshDataAsync);
    }

    protected override void OnInitialized() => _ = PollAsync();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            self = DotNetObjectReference.Create(this);
            await JS.InvokeVoidAsync("cpLog.watch", box, self);
        }
        if (scrollToEnd && follow)
        {
            scrollToEnd = false;
            await JS.InvokeVoidAsync("cpLog.toEnd", box);
        }
    }

    /// <summary>Batches updates: however fast lines come, the page gets at most one refresh per interval.</summary>
    async Task PollAsync()
    {
        using var timer = new PeriodicTimer(BatchInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var count = lease?.Log.Count ?? 0;
                if (count == shown) continue;
                await InvokeAsync(async () =>
                {
                    shown = count;
                    renderedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    ExtendMatches();
                    scrollToEnd = follow;
                    if (virtualize is not null) await virtualize.RefreshDataAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { } // the circuit went away
    }

    ValueTask<ItemsProviderResult<LogEntry>> ProvideAsync(ItemsProviderRequest request)
    {
        var log = lease!.Log;
        if (matches is null)
        {
            var items = log.Range(request.StartIndex, Math.Min(request.Count, Math.Max(0, shown - request.StartIndex)));
            return ValueTask.FromResult(new ItemsProviderResult<LogEntry>(items, shown));
        }
        var picked = matches.Skip(request.StartIndex).Take(request.Count).Select(i => log[i]).ToList();
        return ValueTask.FromResult(new ItemsProviderResult<LogEntry>(picked, matches.Count));
    }

    async Task SearchChanged()
    {
        matches = string.IsNullOrWhiteSpace(search) ? null : new List<int>();
        searchedUpTo = 0;
        ExtendMatches();
        scrollToEnd = follow;
        if (virtualize is not null) await virtualize.RefreshDataAsync();
    }

    void ExtendMatches()
    {
        if (matches is null || lease is null) return;
        matches.AddRange(lease.Log.Find(search.Trim(), searchedUpTo).Where(i => i < shown));
        searchedUpTo = shown;
    }

    void FollowChanged() => scrollToEnd = follow;

    /// <summary>Scrolling up (wheel) stops following, as in a terminal; ticking Follow resumes it.</summary>
    [JSInvokable]
    public void UserScrolledUp()
    {
        if (!follow) return;
        follow = false;
        StateHasChanged();
    }

    string StageName(int index) => index < StageNames.Count ? StageNames[index] : index.ToString();

    static long AtMillis(LogEntry e) => new DateTimeOffset(DateTime.SpecifyKind(e.At, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        lease?.Dispose();
        self?.Dispose();
        await Task.CompletedTask;
    }
}
