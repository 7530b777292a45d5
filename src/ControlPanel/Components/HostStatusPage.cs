using ControlPanel.Engine.Hosts;
using ControlPanel.Model;
using ControlPanel.Engine.Processes;
using ControlPanel.Resources;
using ControlPanel.Web;
using IHost = ControlPanel.Engine.Hosts.IHost;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components;

/// <summary>
/// Base of the pages that show a setting as one host's files say it (this machine or an inventory host) above the
/// forms that change it: the host choice, the status read from it, and the form's field error.
/// </summary>
public abstract class HostStatusPage<TStatus> : PanelComponent where TStatus : class
{
    [Inject] IHostFactory Hosts { get; set; } = default!;
    [Inject] PanelSettings Settings { get; set; } = default!;

    bool touched;

    protected string HostSpec { get; private set; } = "local";
    protected TStatus? Status { get; private set; }
    protected string? StatusError { get; private set; }
    protected FieldErrors Errors { get; private set; } = FieldErrors.None;

    /// <summary>Reads the status from the host (read-only probes).</summary>
    protected abstract Task<TStatus> ReadAsync(IHost host, string dataDirectory, CancellationToken cancellation);

    /// <summary>The main form validated again as the user types (once they have tried a preview).</summary>
    protected abstract FieldErrors Revalidate();

    protected override Task OnInitializedAsync() => LoadAsync();

    protected async Task LoadAsync()
    {
        StatusError = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await using var host = Hosts.Create(HostSpec);
            Status = await ReadAsync(host, Settings.DataDirectory, timeout.Token);
        }
        catch (Exception e) when (e is CommandFailedException or OperationCanceledException or IOException)
        {
            Status = null;
            StatusError = S.HostReadFailed.Format(e.Message);
        }
    }

    protected async Task HostChangedAsync(string spec)
    {
        HostSpec = spec;
        Status = null;
        await LoadAsync();
    }

    protected void SetErrors(FieldErrors errors)
    {
        touched = true;
        Errors = errors;
    }

    protected void Changed()
    {
        if (touched) Errors = Revalidate();
    }
}
