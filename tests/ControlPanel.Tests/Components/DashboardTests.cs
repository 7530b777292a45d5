using Bunit;
using ControlPanel.Components.Dashboard;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stack;

namespace ControlPanel.Tests.Components;

/// <summary>What people open the dashboard for: days to each certificate's expiry (a warning under 21), memory and load, the last run of each host.</summary>
public sealed class DashboardTests : IAsyncDisposable
{
    readonly PanelUi ui = new();

    public ValueTask DisposeAsync() => ui.DisposeAsync();

    [Fact]
    public async Task Certificates_show_days_to_expiry_and_warn_under_21_days_or_when_renewal_fails()
    {
        await ui.AddCertificateAsync("fresh.example.com", 60);
        await ui.AddCertificateAsync("soon.example.com", 12);
        await ui.AddCertificateAsync("failing.example.com", 40, "urn:ietf:params:acme:error:rateLimited");

        var card = ui.Render<CertificatesCard>();
        card.WaitForAssertion(() => Assert.Equal(3, card.FindAll("[data-test='cert-days']").Count));
        var fresh = card.Find("[data-domains='fresh.example.com']");
        Assert.Equal("no", fresh.GetAttribute("data-warn"));
        Assert.Contains("60 days left", fresh.TextContent);
        Assert.Contains("in 60 d", fresh.TextContent);
        Assert.Equal("yes", card.Find("[data-domains='soon.example.com']").GetAttribute("data-warn"));
        Assert.Contains("12 days left", card.Find("[data-domains='soon.example.com']").TextContent);
        Assert.Equal("yes", card.Find("[data-domains='failing.example.com']").GetAttribute("data-warn"));
        Assert.Contains("renewal failing", card.Find("[data-domains='failing.example.com']").TextContent);
    }

    [Fact]
    public void The_host_card_shows_memory_in_use_and_the_load()
    {
        var card = ui.Render<HostFactsCard>();
        Assert.Matches(@"^\d+(\.\d)? (GiB|MiB) available of \d+(\.\d)? (GiB|MiB)$", card.Find("[data-test='memory']").TextContent);
        Assert.Matches(@"^\d+\.\d\d \d+\.\d\d \d+\.\d\d$", card.Find("[data-test='load']").TextContent);
    }

    [Fact]
    public async Task The_last_run_of_each_host_is_shown_once_per_host()
    {
        var engine = ui.Service<RunEngine>();
        var request = InstallRequest.Parse("panel.example.com", "admin@example.com", "faasd", "seed", null, null, StackPlans.Profiles);
        var first = await engine.StartAsync(request, "ssh://root@192.0.2.1");
        await engine.CancelAsync(first.RunId);
        var second = await engine.StartAsync(request, "ssh://root@192.0.2.1");
        var other = await engine.StartAsync(request, "ssh://root@192.0.2.2");

        var card = ui.Render<LastRunsCard>();
        var rows = card.FindAll("[data-test='last-runs'] tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal([$"#{other.RunId}", $"#{second.RunId}"], rows.Select(r => r.QuerySelector("a")!.TextContent));
        Assert.Contains("192.0.2.1", rows[1].QuerySelector("td.host")!.TextContent);
    }

    [Fact]
    public void The_services_card_shows_the_stacks_services_or_says_why_it_cannot()
    {
        var card = ui.Render<ServicesCard>();
        card.WaitForAssertion(() => Assert.NotEmpty(card.FindAll("[data-test='service'], [data-test='no-systemd']")));
        if (Directory.Exists("/run/systemd/system"))
            Assert.Equal(ControlPanel.Engine.Stack.ServiceHealth.StackUnits, card.FindAll("[data-test='service']").Select(s => s.GetAttribute("data-unit")));
        else
            Assert.Contains("systemd does not run on this machine", card.Find("[data-test='no-systemd']").TextContent);
    }
}
