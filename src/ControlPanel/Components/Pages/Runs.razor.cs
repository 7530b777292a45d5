using ControlPanel.Components.Dialogs;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Validation;
using ControlPanel.Model;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Components.Pages;

/// <summary>Run history: every run with its state, requeue (resume) and delete; the engine's news of each run updates its row (never polled).</summary>
public partial class Runs
{
    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] RunQueries Queries { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    List<RunRecord>? runs;
    // Sorting and filtering work on the newest runs loaded (RunsShown); the page shows 25 at a time.
    readonly ListView<RunRecord> view = new(new Dictionary<string, Func<RunRecord, IComparable?>>
    {
        ["id"] = r => r.Id,
        ["kind"] = r => S.KindName(r.Kind),
        ["host"] = HostOf,
        ["state"] = r => S.StateName(r.State).ToString(),
        ["created"] = r => r.CreatedAt,
        ["duration"] = r => r.StartedAt is { } start ? (r.EndedAt ?? DateTime.UtcNow) - start : null,
    }, r => [r.Id.ToString(), S.KindName(r.Kind), HostOf(r), S.StateName(r.State).ToString(), r.RequestedBy, S.Engine(r.Error, r.ErrorJson)], "id");

    const int RunsShown = 1000;

    static string HostOf(RunRecord r) => r.HostName ?? r.HostSpec;
    string? message;

    protected override async Task OnInitializedAsync()
    {
        Engine.News.Changed += OnNews;
        await LoadAsync();
    }

    async Task LoadAsync() => runs = await Queries.LatestAsync(RunsShown);

    void OnNews(RunDetail news) => _ = InvokeAsync(() =>
    {
        if (runs is null) return;
        var row = runs.FindIndex(r => r.Id == news.Run.Id);
        if (row >= 0) runs[row] = news.Run;
        else runs.Insert(0, news.Run);
        StateHasChanged();
    });

    async Task RequeueAsync(long id)
    {
        try
        {
            await Engine.RerunAsync(id, RerunMode.Resume, null, await RequesterAsync());
            await AuditAsync(AuditActions.RunRerun, $"run {id}: resume");
            Navigation.NavigateTo($"/runs/{id}");
        }
        catch (HostBusyException e) { message = S.HostBusy.Format(e.Message); }
        // A run started by other plans than this panel's is refused with a message naming it.
        catch (InputException e) { message = S.Engine(e.UserMessage); }
        catch (KeyNotFoundException e) { message = e.Message; }
    }

    async Task DeleteAsync(long id)
    {
        if (!await Dialogs.ConfirmAsync(S.DeleteConfirm.Format(id), S.Delete.ToString())) return;
        try
        {
            await Engine.DeleteAsync(id);
            await AuditAsync(AuditActions.RunDelete, $"run {id}");
            await LoadAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException) { message = e.Message; }
    }

    public void Dispose() => Engine.News.Changed -= OnNews;
}
