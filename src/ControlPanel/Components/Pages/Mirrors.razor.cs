using ControlPanel.Engine.Registry;
using ControlPanel.Model;
using IHost = ControlPanel.Engine.Hosts.IHost;

namespace ControlPanel.Components.Pages;

/// <summary>
/// Registry mirrors of this host or an inventory host: what containerd's and Docker's files say now, per registry and
/// runtime; set (merged into the user's files, originals kept) and reset, each previewed then run.
/// </summary>
public partial class Mirrors
{
    readonly MirrorForm form = new();

    protected override Task<MirrorStatus> ReadAsync(IHost host, string dataDirectory, CancellationToken cancellation) =>
        MirrorSettings.ReadAsync(host, dataDirectory, cancellation);

    protected override FieldErrors Revalidate() => form.ValidateSet().Errors;
}
