using ControlPanel.Components.Dialogs;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using ControlPanel.Model;
using ControlPanel.Resources;
using ControlPanel.Web;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Components.Pages;

/// <summary>The host inventory: add, trust a host key after seeing its fingerprints, remove; and the recent batches.</summary>
public partial class Hosts
{
    sealed class AddForm
    {
        public string Name { get; set; } = "";
        public string Address { get; set; } = "";
        public string KeyPath { get; set; } = "";
        public string Labels { get; set; } = "";
    }

    [Inject] PanelSettings Settings { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] PlanPreviews Previews { get; set; } = default!;
    [Inject] IHostFactory HostFactory { get; set; } = default!;

    /// <summary>One host's dry run of the batch's plan, or why it could not be made.</summary>
    sealed record HostPreview(FleetTarget Target, IReadOnlyList<StagePreview>? Stages, string? Error)
    {
        public bool Fails => Error is not null || Stages!.Any(s => s.Error is not null);
    }

    InventoryStore store = default!;
    HostTrust trust = default!;
    IReadOnlyList<HostRecord>? hosts;
    // The last connection test of each host this page ran, and those running now.
    readonly Dictionary<string, ConnectionCheck> checks = [];
    readonly HashSet<string> testing = [];
    IReadOnlyList<BatchRecord>? batches;
    AddForm form = new();
    bool scanning;
    string? error;
    string? notice;
    readonly HashSet<string> selected = new(StringComparer.Ordinal);
    string labelFilter = "";
    // The label filter picks the rows (and what "select shown" selects); this sorts and pages them.
    readonly ListView<HostRecord> hostView = new(new Dictionary<string, Func<HostRecord, IComparable?>>
    {
        ["name"] = h => h.Name,
        ["address"] = Spec,
        ["labels"] = h => h.Labels,
        ["trusted"] = h => h.PinnedFingerprints is not null,
    }, h => [h.Name, Spec(h), h.Labels], "name", descending: false);
    readonly ListView<BatchRecord> batchView = new(new Dictionary<string, Func<BatchRecord, IComparable?>>
    {
        ["id"] = b => b.Id,
        ["kind"] = b => S.KindName(b.Kind),
        ["created"] = b => b.CreatedAt,
        ["by"] = b => b.RequestedBy,
    }, b => [b.Id.ToString(), S.KindName(b.Kind), HostNames(b), b.RequestedBy], "id");
    const int BatchesShown = 1000;
    readonly FleetForm fleet = new();
    FieldErrors fleetErrors = FieldErrors.None;
    bool launching;
    IReadOnlyList<HostPreview>? fleetPreview;
    string? previewedFleet;

    string FleetFingerprint => fleet.Fingerprint + '\u001f' + string.Join(',', selected.Order(StringComparer.Ordinal));
    bool FleetPreviewCurrent => fleetPreview is not null && previewedFleet == FleetFingerprint;

    static string OutcomeText(HostPreview p) =>
        p.Error is not null ? S.FleetCannotPreview.Format(p.Error)
        : p.Fails ? S.FleetWouldFail.Format(p.Stages!.Count(s => s.Error is not null))
        : S.FleetWouldApply.Format(p.Stages!.Count(s => !s.WouldSkip), p.Stages!.Count(s => s.WouldSkip));

    /// <summary>The hosts the label filter lets through (all when it is empty).</summary>
    IEnumerable<HostRecord> Shown => (hosts ?? []).Where(h => labelFilter.Trim().Length == 0
        || h.Labels.Split(',', StringSplitOptions.TrimEntries).Contains(labelFilter.Trim(), StringComparer.OrdinalIgnoreCase));

    protected override async Task OnInitializedAsync()
    {
        store = new InventoryStore(Settings.DataDirectory);
        trust = new HostTrust(Settings.DataDirectory);
        await LoadAsync();
    }

    async Task LoadAsync()
    {
        hosts = await store.ListAsync();
        batches = await BatchStatus.RecentAsync(Settings.DataDirectory, BatchesShown);
    }

    static string Spec(HostRecord h) => InventoryStore.ToHost(h).Spec;

    static string HostNames(BatchRecord b) => string.Join(", ", BatchStatus.TargetsOf(b).Select(t => t.Name));

    async Task AddAsync()
    {
        Clear();
        try
        {
            var labels = form.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var host = InventoryHost.Create(form.Name.Trim(), form.Address.Trim(), form.KeyPath.Trim(), labels, S.FieldHostName.ToString());
            await store.AddAsync(host);
            await AuditAsync(AuditActions.HostAdd, $"{host.Name} {host.Spec}");
            form = new AddForm();
            await LoadAsync();
        }
        catch (InputException e) { error = S.Engine(e.UserMessage); }
    }

    async Task ScanAsync(HostRecord record)
    {
        Clear();
        TrustOffer offer;
        scanning = true;
        try { offer = await trust.ScanAsync(InventoryStore.ToHost(record)); }
        catch (HostKeyException e) { error = e.Message; return; }
        finally { scanning = false; }
        StateHasChanged();
        var dialog = await Dialogs.ShowAsync<TrustDialog>(S.TrustTitle.Format(offer.Host.Name),
            new DialogParameters<TrustDialog> { { d => d.Offer, offer } }, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false }) await ConfirmAsync(offer);
    }

    async Task ConfirmAsync(TrustOffer offer)
    {
        var pinned = await trust.ConfirmAsync(offer, expectedFingerprint: null);
        var fingerprints = string.Join(", ", pinned.Select(k => k.Fingerprint));
        await AuditAsync(AuditActions.HostTrust, $"{offer.Host.Name}: {fingerprints}");
        notice = S.TrustPinned.Format(offer.Host.Name, fingerprints);
        var name = offer.Host.Name;
        await LoadAsync();
        // A pinned key is only half of it: sign in as a run will, so that a wrong key or user shows now, not mid-run.
        if (hosts?.FirstOrDefault(h => h.Name == name) is { } record) await TestAsync(record);
    }

    async Task TestAsync(HostRecord record)
    {
        testing.Add(record.Name);
        StateHasChanged();
        try
        {
            await using var host = HostFactory.Create(Spec(record));
            var check = await ConnectionCheck.RunAsync(host, record.KeyPath ?? S.DefaultKey.ToString());
            checks[record.Name] = check;
            await AuditAsync(AuditActions.HostTest, $"{record.Name}: " + (check.Ok ? check.System : check.Failure!.Text));
        }
        finally { testing.Remove(record.Name); }
    }

    async Task RemoveAsync(HostRecord record)
    {
        Clear();
        if (!await Dialogs.ConfirmAsync(S.RemoveHostConfirm.Format(record.Name), S.Remove.ToString())) return;
        await store.RemoveAsync(record.Name);
        selected.Remove(record.Name);
        await AuditAsync(AuditActions.HostRemove, record.Name);
        await LoadAsync();
    }

    void Clear() => (error, notice) = (null, null);

    void Select(string name, bool on)
    {
        if (on) selected.Add(name);
        else selected.Remove(name);
    }

    void SelectShown()
    {
        foreach (var h in Shown) selected.Add(h.Name);
    }

    /// <summary>The selected hosts and the validated request, or none with the field error set.</summary>
    (IReadOnlyList<FleetTarget> Targets, PlanRequest? Request, int Parallel) ValidateFleet()
    {
        Clear();
        var targets = FleetTargets.Of((hosts ?? []).Where(h => selected.Contains(h.Name)).Select(InventoryStore.ToHost));
        (var request, var parallel, fleetErrors) = fleet.Validate(Settings.DataDirectory, targets);
        return (targets, request, parallel);
    }

    /// <summary>The dry run on every host, as many at a time as the batch will run (`install --host A --host B --dry-run`); a host that cannot be previewed says why.</summary>
    async Task PreviewFleetAsync()
    {
        var (targets, request, parallel) = ValidateFleet();
        if (request is null) return;
        launching = true;
        fleetPreview = null;
        var fingerprint = FleetFingerprint;
        using var gate = new SemaphoreSlim(parallel);
        try
        {
            fleetPreview = await Task.WhenAll(targets.Select(async target =>
            {
                await gate.WaitAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                try { return new HostPreview(target, await Previews.PreviewAsync(request, target.HostSpec, timeout.Token), null); }
                catch (Exception e) { return new HostPreview(target, null, e.Message); }
                finally { gate.Release(); }
            }));
            previewedFleet = fingerprint;
        }
        finally { launching = false; }
    }

    /// <summary>Starts the previewed plan on the selected hosts as one batch (as `install --host A --host B`), then shows the batch.</summary>
    async Task LaunchAsync()
    {
        var (targets, request, parallel) = ValidateFleet();
        if (request is null || !FleetPreviewCurrent) return;
        launching = true;
        try
        {
            var handle = await Engine.Fleet.StartAsync(request, targets, parallel, await RequesterAsync());
            await AuditAsync(AuditActions.FleetStart, $"batch {handle.BatchId}: {request.PlanKind} on {string.Join(", ", targets.Select(t => t.Name))}, {parallel} at a time");
            Navigation.NavigateTo($"/batches/{handle.BatchId}");
        }
        catch (InputException e) { fleetErrors = FieldErrors.One("Hosts", e.Reason); }
        finally { launching = false; }
    }
}
