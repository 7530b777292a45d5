using Bunit;
using ControlPanel.Components.Controls;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Tests.Components;

/// <summary>The shared controls, rendered by bUnit: what the user sees, and what a click hands to the page.</summary>
public sealed class ControlsTests : IAsyncDisposable
{
    readonly PanelUi ui = new();

    public ValueTask DisposeAsync() => ui.DisposeAsync();

    static StageRunRecord Stage(int index, string name, RunState state, string? error = null) => new()
    {
        Index = index, Name = name, Title = name + " title", State = state, Attempts = state == RunState.Queued ? 0 : 1,
        StartedAt = new DateTime(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc), EndedAt = new DateTime(2026, 12, 6, 10, 0, 30, DateTimeKind.Utc),
        Error = error, LogFile = "/dev/null", LogLines = 42,
    };

    [Fact]
    public void The_stage_table_shows_each_stage_and_a_rerun_click_names_the_mode_and_the_stage()
    {
        (RerunMode Mode, string Stage)? asked = null;
        var table = ui.Render<StageTable>(p => p
            .Add(t => t.Stages, [Stage(0, "deps", RunState.Succeeded), Stage(1, "faasd", RunState.Failed, "faasd did not start")])
            .Add(t => t.CanRerun, true)
            .Add(t => t.OnRerun, (ValueTuple<RerunMode, string> a) => asked = a));

        var rows = table.FindAll("tbody tr");
        Assert.Equal(["deps", "faasd"], rows.Select(r => r.GetAttribute("data-stage")));
        Assert.Equal("Failed", rows[1].GetAttribute("data-state"));
        Assert.Contains("30.0 s", rows[0].TextContent);
        Assert.Contains("42", rows[0].TextContent);
        Assert.Equal("faasd did not start", table.Find("tr[data-stage='faasd'] [data-test='stage-error']").TextContent);

        table.Find("tr[data-stage='faasd'] [data-test='rerun-only']").Click();
        table.WaitForAssertion(() => Assert.Equal((RerunMode.Only, "faasd"), asked));
        table.Find("tr[data-stage='deps'] [data-test='rerun-from']").Click();
        table.WaitForAssertion(() => Assert.Equal((RerunMode.From, "deps"), asked));
    }

    [Fact]
    public void The_stage_table_offers_no_rerun_while_the_run_cannot_be_rerun()
    {
        var table = ui.Render<StageTable>(p => p.Add(t => t.Stages, [Stage(0, "deps", RunState.Running)]).Add(t => t.CanRerun, false));
        Assert.Empty(table.FindAll("[data-test='rerun-only'], [data-test='rerun-from']"));
        Assert.Equal("Running", table.Find("tr[data-stage='deps'] .state-badge").GetAttribute("data-state"));
    }

    [Fact]
    public void A_running_stage_shows_its_sign_of_life_and_a_finished_one_does_not()
    {
        var waiting = new LogEntry(1, 0, 9, DateTime.UtcNow, LogKind.Progress, "no output for 15 s: waiting for `apt-get install -y curl` since 10:00:00 (15 s)");
        var table = ui.Render<StageTable>(p => p
            .Add(t => t.Stages, [Stage(0, "deps", RunState.Running), Stage(1, "faasd", RunState.Succeeded)])
            .Add(t => t.LiveActivity, i => waiting with { StageIndex = i }));

        Assert.Equal(waiting.Text, table.Find("tr[data-stage='deps'] [data-test='stage-activity']").TextContent);
        Assert.Empty(table.FindAll("tr[data-stage='faasd'] [data-test='stage-activity']"));
    }

    static readonly IReadOnlyList<StagePreview> Previews =
    [
        new("deps", "Install packages", WouldSkip: true, Reason: "curl is installed", [], Error: null),
        new("nginx", "Write the site", WouldSkip: false, Reason: null,
            [new DryRunAction(null, new FileChange("/etc/nginx/sites-available/panel", FileChangeKind.Modified, "0644", "0644", "-listen 80;\n+listen 443 ssl;")),
             new DryRunAction("nginx -t", null)], Error: null),
        new("certificate", "Get the certificate", WouldSkip: false, Reason: null, [], Error: "port 80 is taken by apache2"),
    ];

    [Fact]
    public void The_preview_shows_each_stage_with_its_verdict_its_diff_and_its_command()
    {
        var view = ui.Render<PlanPreviewView>(p => p.Add(v => v.Previews, Previews));

        Assert.Equal(["skip", "apply", "fail"], view.FindAll("section.preview-stage").Select(s => s.GetAttribute("data-verdict")));
        Assert.Contains("curl is installed", view.Find("[data-stage='deps']").TextContent);
        Assert.Contains("+listen 443 ssl;", view.Find("[data-stage='nginx'] .diff").TextContent);
        Assert.Contains("$ nginx -t", view.Find("[data-stage='nginx'] .command").TextContent);
        Assert.Contains("port 80 is taken by apache2", view.Find("[data-stage='certificate'] .error").TextContent);
    }

    [Fact]
    public void A_preview_with_a_failing_stage_says_why_the_start_is_held_back()
    {
        var blocked = ui.Render<StartBlocked>(p => p.Add(b => b.Previews, Previews));
        var text = blocked.Find("[data-test='start-blocked']").TextContent;
        Assert.Contains("Get the certificate", text);
        Assert.Contains("port 80 is taken by apache2", text);

        var clear = ui.Render<StartBlocked>(p => p.Add(b => b.Previews, Previews.Take(2).ToList()));
        Assert.Empty(clear.FindAll("[data-test='start-blocked']"));
    }

    [Fact]
    public void A_field_error_is_shown_at_its_own_field_only()
    {
        var errors = ControlPanel.Model.FieldErrors.One("Domain", new MessageTemplate("test.bad-host", "is not a valid host name").Message());
        var domain = ui.Render<FieldError>(p => p.Add(f => f.Field, "Domain").Add(f => f.Errors, errors));
        var email = ui.Render<FieldError>(p => p.Add(f => f.Field, "Email").Add(f => f.Errors, errors));

        Assert.Equal("alert", domain.Find("[data-test='error-domain']").GetAttribute("role"));
        Assert.StartsWith("Domain: ", domain.Find("[data-test='error-domain']").TextContent);
        Assert.Empty(email.Markup.Trim());
    }

    [Fact]
    public void A_choice_field_shows_the_text_of_its_value_and_a_pick_from_its_list_changes_it()
    {
        var popovers = ui.Popovers;
        string? picked = null;
        var field = ui.Render<ChoiceField>(p => p.Add(c => c.Id, "runtime").Add(c => c.Value, "containerd")
            .Add(c => c.Options, [("containerd", "containerd"), ("docker", "Docker Engine")]).Add(c => c.ValueChanged, v => picked = v));
        var input = field.Find("input#runtime");
        Assert.Equal("combobox", input.GetAttribute("role"));
        Assert.Equal("containerd", input.GetAttribute("value"));
        Assert.Empty(popovers.FindAll("[data-value]"));

        var items = ui.OpenChoices(field, "runtime");
        Assert.Equal(["containerd", "docker"], items.Select(i => i.GetAttribute("data-value")));
        Assert.Equal("Docker Engine", items[1].TextContent.Trim());
        items[1].Click();
        field.WaitForAssertion(() => Assert.Equal("docker", picked));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_trust_dialog_shows_each_offered_key_and_only_a_trust_click_says_yes(bool trust)
    {
        var dialogs = ui.Render<MudBlazor.MudDialogProvider>();
        var service = (MudBlazor.IDialogService)ui.Context.Services.GetService(typeof(MudBlazor.IDialogService))!;
        var blob = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("an ed25519 key blob"));
        var offer = new ControlPanel.Engine.Inventory.TrustOffer(ControlPanel.Engine.Inventory.InventoryHost.Create("edge1", "root@192.0.2.5", null, []),
            [new ControlPanel.Engine.Inventory.HostPublicKey("ssh-ed25519", blob)], ControlPanel.Engine.Inventory.PinState.Unknown);
        MudBlazor.IDialogReference? dialog = null;
        dialogs.InvokeAsync(async () => dialog = await service.ShowAsync<ControlPanel.Components.Dialogs.TrustDialog>("Trust edge1",
            new MudBlazor.DialogParameters<ControlPanel.Components.Dialogs.TrustDialog> { { d => d.Offer, offer } }));
        dialogs.WaitForAssertion(() => Assert.Single(dialogs.FindAll("[data-test='offered-key']")));
        var key = dialogs.Find("[data-test='offered-key']").TextContent;
        Assert.Contains("ssh-ed25519", key);
        Assert.Contains(offer.Offered[0].Fingerprint, key);
        Assert.Empty(dialogs.FindAll("[data-test='trust-already']"));

        dialogs.Find(trust ? "[data-test='trust-confirm']" : "[data-test='trust-cancel']").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Equal(!trust, dialog!.Result.Result!.Canceled);
    }

    [Fact]
    public async Task The_host_picker_offers_this_machine_and_every_inventory_host_and_hands_over_the_host_picked()
    {
        await new ControlPanel.Engine.Inventory.InventoryStore(ui.DataDirectory).AddAsync(
            ControlPanel.Engine.Inventory.InventoryHost.Create("edge1", "root@192.0.2.10:2222", null, []));
        string? picked = null;
        var picker = ui.Render<HostPicker>(p => p.Add(c => c.Id, "target").Add(c => c.ValueChanged, v => picked = v));
        picker.WaitForAssertion(() => Assert.Equal("this machine (local)", picker.Find("input#target").GetAttribute("value")));

        var items = ui.OpenChoices(picker, "target");
        Assert.Equal(["local", "ssh://root@192.0.2.10:2222"], items.Select(i => i.GetAttribute("data-value")));
        Assert.Equal("edge1 (ssh://root@192.0.2.10:2222)", items[1].TextContent.Trim());
        items[1].Click();
        picker.WaitForAssertion(() => Assert.Equal("ssh://root@192.0.2.10:2222", picked));
    }

    [Fact]
    public void The_state_history_names_each_events_stage_or_the_whole_run_and_its_message()
    {
        var at = new DateTime(2026, 12, 7, 9, 30, 0, DateTimeKind.Utc);
        RunEventRecord Event(int? stage, RunState state, string? message) => new() { RunId = 1, StageIndex = stage, State = state, At = at, Message = message };
        var history = ui.Render<RunHistory>(p => p
            .Add(c => c.Events, [Event(null, RunState.Running, "started by admin"), Event(1, RunState.Failed, "apt-get exited with 100"), Event(null, RunState.Failed, null)])
            .Add(c => c.StageNames, ["preflight", "deps"]));

        var rows = history.FindAll("[data-test='history'] tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["(run)", "Running", "started by admin"], rows[0].Skip(1));
        Assert.Equal(["deps", "Failed", "apt-get exited with 100"], rows[1].Skip(1));
        Assert.Equal(["(run)", "Failed", ""], rows[2].Skip(1));
        Assert.All(rows, r => Assert.Contains("2026-12-07", r[0]));
    }
}
