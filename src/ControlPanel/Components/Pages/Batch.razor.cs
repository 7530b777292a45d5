using ControlPanel.Components.Dialogs;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Validation;
using ControlPanel.Resources;
using ControlPanel.Web;
using ControlPanel.Web.Audit;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Components.Pages;

/// <summary>
/// One batch: every host with its run's state and stage progress, links to each run, cancel while it is open, re-run of
/// the failed hosts. Read again when one of its runs has news or it starts a host (the engine says so; never polled).
/// </summary>
public partial class Batch
{
    [Parameter] public long Id { get; set; }
    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] PanelSettings Settings { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;

    BatchStatus? status;
    bool loaded;
    bool busy;
    string? message;

    protected override async Task OnInitializedAsync()
    {
        Engine.News.Changed += OnNews;
        Engine.Hub.BatchChanged += OnBatchChanged;
        await LoadAsync();
    }

    void OnNews(RunDetail news)
    {
        if (news.Run.BatchId == Id) Reload();
    }

    void OnBatchChanged(long batchId)
    {
        if (batchId == Id) Reload();
    }

    void Reload() => _ = InvokeAsync(async () =>
    {
        await LoadAsync();
        StateHasChanged();
    });

    async Task LoadAsync()
    {
        status = await BatchStatus.LoadAsync(Settings.DataDirectory, Id);
        loaded = true;
    }

    async Task RerunFailedAsync()
    {
        busy = true;
        try
        {
            var failed = status?.FailedCount ?? 0;
            await Engine.Fleet.RerunFailedAsync(Id, status?.Batch.Parallel ?? 5, await RequesterAsync());
            await AuditAsync(AuditActions.BatchRerun, $"batch {Id}: {failed} failed host(s)");
            message = S.RerunStarted.Format(failed);
            await LoadAsync();
        }
        catch (InputException e) { message = S.Engine(e.UserMessage); }
        finally { busy = false; }
    }

    /// <summary>Stops the batch after a confirmation: its running hosts are cancelled, its waiting ones never start (whichever process executes it).</summary>
    async Task CancelAsync()
    {
        if (!await Dialogs.ConfirmAsync(S.CancelBatchConfirm.Format(Id), S.CancelBatch.ToString())) return;
        busy = true;
        try
        {
            var open = status?.OpenCount ?? 0;
            if (!await Engine.Fleet.CancelAsync(Id)) { message = S.BatchNotFound.Format(Id); return; }
            await AuditAsync(AuditActions.BatchCancel, $"batch {Id}: {open} open host(s)");
            message = S.BatchCancelAsked.ToString();
            await LoadAsync();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException) { message = e.Message; }
        finally { busy = false; }
    }

    public void Dispose()
    {
        Engine.News.Changed -= OnNews;
        Engine.Hub.BatchChanged -= OnBatchChanged;
    }
}
