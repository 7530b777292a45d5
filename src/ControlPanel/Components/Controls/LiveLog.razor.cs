using ControlPanel.Engine.Logging;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.JSInterop;

namespace ControlPanel.Components.Controls;

/// <summary>
/// The live log of a run, updated in batches (at most one render per 150 ms per session, however fast lines come)
/// from the shared RunLogFeed, with follow, search and download. Following, the page holds only the last
/// <see cref="TailLines"/> lines under a spacer as tall as the rest, kept at the end by the browser itself: one small
/// render per batch, no round trip. Scrolled up or searching, a virtualised window shows the part in view, so 100k+
/// lines stay cheap either way.
/// </summary>
public partial class LiveLog
{
    static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(150);
    const int LineHeight = 20;
    /// <summary>More than a screenful of the 28rem box.</summary>
    const int TailLines = 30;

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

    bool Tailing => follow && matches is null;

    List<LogEntry> Tail() => lease!.Log.Range(Math.Max(0, shown - TailLines), Math.Min(TailLines, shown));

    /// <summary>The virtualised window when it is on the page; a reference kept from before following is stale.</summary>
    Virtualize<LogEntry>? Window => Tailing ? null : virtualize;

    void ModeChanged()
    {
        if (Tailing) virtualize = null;
        scrollToEnd = follow;
    }

    protected override void OnParametersSet()
    {
        if (lease is not null && watchedRunId == RunId) return;
        lease?.Dispose();
        lease = Feed.Watch(RunId);
        watchedRunId = RunId;
        shown = lease.Log.Count;
        matches = null;
        search = "";
        ModeChanged();
        if (Window is { } window) _ = InvokeAsync(window.RefreshDataAsync);
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
                    // Following, the browser keeps the end in view itself (panel.js); a window is scrolled from here.
                    scrollToEnd = follow && !Tailing;
                    if (Window is { } window) await window.RefreshDataAsync();
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
        ModeChanged();
        if (Window is { } window) await window.RefreshDataAsync();
    }

    void ExtendMatches()
    {
        if (matches is null || lease is null) return;
        matches.AddRange(lease.Log.Find(search.Trim(), searchedUpTo).Where(i => i < shown));
        searchedUpTo = shown;
    }

    void FollowChanged() => ModeChanged();

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
