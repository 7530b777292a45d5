using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using ControlPanel.Model;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Pages;

/// <summary>
/// Certificates: the managed ones with expiry, CA, ACME account and the CA's last error; "issue" and "renew now"
/// start runs of the certificate plans, so the work is tracked, logged and shown here until it ends.
/// </summary>
public partial class Certificates
{
    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] CertificateQueries Certs { get; set; } = default!;
    [Inject] RunQueries Runs { get; set; } = default!;

    readonly CertificateForm form = new();
    IReadOnlyList<CertificateRow>? rows;
    // The soonest to expire first: the one that needs attention (never issued ones last).
    readonly ListView<CertificateRow> view = new(new Dictionary<string, Func<CertificateRow, IComparable?>>
    {
        ["domains"] = r => r.Status.Domains,
        ["state"] = r => S.CertStateName(r.Status.State),
        ["expires"] = r => r.Status.NotAfter ?? DateTime.MaxValue,
        ["ca"] = r => S.CertDirectoryName(r.Status.Directory),
    }, r => [r.Status.Domains, r.Status.Host, r.Status.CertDirectory, S.CertStateName(r.Status.State), S.CertDirectoryName(r.Status.Directory), r.Issuer, r.Email],
        "expires", descending: false);
    FieldErrors errors = FieldErrors.None;
    long? workRunId;
    string? message;
    long? activeRunId;
    bool busy;
    bool touched;

    protected override Task OnInitializedAsync() => LoadAsync();

    async Task LoadAsync() => rows = await Certs.ListAsync();

    /// <summary>Expiry colour: red when expired or under a week, orange when renewal is due or failing.</summary>
    static string StateClass(CertificateStatus c) => c.State switch
    {
        "not issued" => "cert-none",
        "expired" => "cert-bad",
        _ when c.DaysLeft < 7 => "cert-bad",
        "due" or "failing" => "cert-soon",
        _ => "cert-ok",
    };

    void Changed()
    {
        if (!touched) return;
        errors = form.Validate().Errors;
    }

    /// <summary>The issue form for the preview and the start: from the first try on, its errors follow every keystroke.</summary>
    (PlanRequest? Request, FieldErrors Errors) ValidateIssue()
    {
        touched = true;
        return form.Validate();
    }

    void SetErrors(FieldErrors found) => errors = found;

    /// <summary>An issue shows here like a renewal: one run tracked on the page at a time.</summary>
    void Started(long runId)
    {
        message = null;
        workRunId = runId;
    }

    Task RenewAsync(CertificateRow row) =>
        StartAsync(new CertificateRenewRequest(row.Status.Id), row.Status.Host, AuditActions.CertRenew, row.Status.Domains);

    async Task StartAsync(PlanRequest request, string hostSpec, string action, string detail)
    {
        busy = true;
        message = null;
        activeRunId = null;
        try
        {
            var handle = await Engine.StartAsync(request, hostSpec, await RequesterAsync());
            workRunId = handle.RunId;
            await AuditAsync(action, $"run {handle.RunId}: {detail}");
        }
        catch (HostBusyException e)
        {
            message = S.HostBusy.Format(e.Message);
            activeRunId = (await Runs.ActiveAsync())?.Id;
        }
        catch (InputException e) { message = S.InputError(e); }
        finally { busy = false; }
    }
}
