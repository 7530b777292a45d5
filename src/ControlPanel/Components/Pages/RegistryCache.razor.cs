using ControlPanel.Engine.Cache;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;
using ControlPanel.Model;
using ControlPanel.Resources;
using ControlPanel.Web;
using ControlPanel.Web.Localization;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Pages;

/// <summary>
/// The pull-through registry cache of this host or an inventory host: what its files and service say (upstream,
/// listen address, storage, the built-in expiry), and its install and uninstall, each previewed then run.
/// </summary>
public partial class RegistryCache
{
    [Inject] IHostFactory Hosts { get; set; } = default!;
    [Inject] PanelSettings Settings { get; set; } = default!;

    readonly CacheForm form = new();
    string hostSpec = "local";
    RegistryCacheStatus? status;
    string? statusError;
    (string? Field, string? Reason) error;
    bool touched;

    Text StateText => status switch
    {
        { Running: true } => S.CacheRunning,
        { Installed: true } => S.CacheStopped,
        { PackageInstalled: true } => S.CachePackageOnly,
        _ => S.CacheNotInstalled,
    };

    /// <summary>How other hosts point at it: the listen port on this host's address (":5000" listens on every address).</summary>
    string MirrorHint => $"controlpanel mirrors set --registry docker.io --mirror http://{(hostSpec == "local" ? "THIS-HOST" : SshTarget.Parse("host", hostSpec).Address)}:{status?.Listen?[(status.Listen.LastIndexOf(':') + 1)..]}";

    protected override Task OnInitializedAsync() => LoadAsync();

    async Task LoadAsync()
    {
        statusError = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await using var host = Hosts.Create(hostSpec);
            status = await RegistryCacheStatus.ReadAsync(host, Settings.DataDirectory, timeout.Token);
        }
        catch (Exception e) when (e is CommandFailedException or OperationCanceledException or IOException)
        {
            status = null;
            statusError = S.CacheStatusFailed.Format(e.Message);
        }
    }

    async Task HostChangedAsync(string spec)
    {
        hostSpec = spec;
        status = null;
        await LoadAsync();
    }

    void SetError((string? Field, string? Reason) e)
    {
        touched = true;
        error = e;
    }

    void Changed()
    {
        if (!touched) return;
        var (_, field, reason) = form.ValidateInstall();
        error = (field, reason);
    }
}
