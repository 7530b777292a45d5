using ControlPanel.Engine.Cache;
using ControlPanel.Engine.Hosts;
using ControlPanel.Model;
using ControlPanel.Resources;
using ControlPanel.Web.Localization;
using IHost = ControlPanel.Engine.Hosts.IHost;

namespace ControlPanel.Components.Pages;

/// <summary>
/// The pull-through registry cache of this host or an inventory host: what its files and service say (upstream,
/// listen address, storage, the built-in expiry), and its install and uninstall, each previewed then run.
/// </summary>
public partial class RegistryCache
{
    readonly CacheForm form = new();

    protected override Task<RegistryCacheStatus> ReadAsync(IHost host, string dataDirectory, CancellationToken cancellation) =>
        RegistryCacheStatus.ReadAsync(host, dataDirectory, cancellation);

    protected override FieldErrors Revalidate() => form.ValidateInstall().Errors;

    Text StateText => Status switch
    {
        { Running: true } => S.CacheRunning,
        { Installed: true } => S.CacheStopped,
        { PackageInstalled: true } => S.CachePackageOnly,
        _ => S.CacheNotInstalled,
    };

    /// <summary>How other hosts point at it: the listen port on this host's address.</summary>
    string MirrorHint =>
        $"controlpanel mirrors set --registry docker.io --mirror http://{(HostSpec == "local" ? "THIS-HOST" : SshTarget.Parse("host", HostSpec).Address)}:{Status?.Listen?[(Status.Listen.LastIndexOf(':') + 1)..]}";
}
