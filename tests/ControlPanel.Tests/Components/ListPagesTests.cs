using System.Text.Json;
using Bunit;
using ControlPanel.Components.Pages;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Stack;
using ControlPanel.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace ControlPanel.Tests.Components;

/// <summary>
/// The hosts, batches, certificates and sessions lists on the real engine's database: sorted on a heading's click,
/// 25 rows a page, filtered as typed; the hosts' label filter picks what "select shown" selects; a session ends.
/// </summary>
public sealed class ListPagesTests : IAsyncDisposable
{
    readonly PanelUi ui = new();

    public ValueTask DisposeAsync() => ui.DisposeAsync();

    static IReadOnlyList<string?> Rows<T>(IRenderedComponent<T> page, string list, string key) where T : IComponent =>
        page.FindAll($"[data-test='{list}'] tbody tr").Select(r => r.GetAttribute(key)).ToList();

    static string Count<T>(IRenderedComponent<T> page, string list) where T : IComponent =>
        page.Find($"[data-test='{list}-count']").TextContent;

    static string? SortOf<T>(IRenderedComponent<T> page, string column) where T : IComponent =>
        page.Find($"th:has([data-test='sort-{column}'])").GetAttribute("aria-sort");

    [Fact]
    public async Task The_hosts_list_sorts_and_pages_and_select_shown_takes_every_host_the_label_filter_lets_through()
    {
        var store = new InventoryStore(ui.DataDirectory);
        for (var i = 1; i <= 28; i++) await store.AddAsync(InventoryHost.Create($"edge{i:00}", $"root@192.0.2.{i}", null, ["edge"]));
        await store.AddAsync(InventoryHost.Create("lab1", "root@198.51.100.1", null, ["lab"]));

        var page = ui.Render<Hosts>();
        page.WaitForAssertion(() => Assert.Equal(25, Rows(page, "hosts", "data-host").Count));
        Assert.Equal("1–25 of 29", Count(page, "hosts"));
        Assert.Equal("edge01", Rows(page, "hosts", "data-host")[0]);
        Assert.Equal("ascending", SortOf(page, "name"));
        // The label filter is the hosts' own: no second, free-text filter above the list.
        Assert.Empty(page.FindAll("#hosts-filter"));

        page.Find("[data-test='sort-name']").Click();
        page.WaitForAssertion(() => Assert.Equal("descending", SortOf(page, "name")));
        Assert.Equal(["lab1", "edge28", "edge27"], Rows(page, "hosts", "data-host").Take(3));
        page.Find("[data-test='hosts-next']").Click();
        page.WaitForAssertion(() => Assert.Equal(["edge04", "edge03", "edge02", "edge01"], Rows(page, "hosts", "data-host")));
        Assert.Equal("26–29 of 29", Count(page, "hosts"));

        // "Select shown" takes every host the filter lets through, on every page: 28, not the 25 in view.
        page.Find("#host-filter").Input("edge");
        page.WaitForAssertion(() => Assert.Equal("1–25 of 28", Count(page, "hosts")));
        page.Find("[data-test='select-shown']").Click();
        page.WaitForAssertion(() => Assert.StartsWith("edge01, edge02, ", page.Find("[data-test='fleet-selected']").TextContent));
        Assert.Equal(28, page.Find("[data-test='fleet-selected']").TextContent.Split(", ").Length);

        // Each row's tick box is MudBlazor's, named for its host; unticking one drops it from the selection.
        page.Find("#host-filter").Input("");
        page.WaitForAssertion(() => Assert.Equal("1–25 of 29", Count(page, "hosts")));
        var lab = page.Find("tr[data-host='lab1'] input[data-test='select-host']");
        Assert.Equal("checkbox", lab.GetAttribute("type"));
        Assert.Equal("lab1", lab.GetAttribute("aria-label"));
        Assert.NotNull(lab.Closest(".mud-checkbox"));
        Assert.False(lab.HasAttribute("checked"));
        page.Find("tr[data-host='edge28'] input[data-test='select-host']").Change(false);
        page.WaitForAssertion(() => Assert.DoesNotContain("edge28", page.Find("[data-test='fleet-selected']").TextContent));
        Assert.Equal(27, page.Find("[data-test='fleet-selected']").TextContent.Split(", ").Length);
        page.Find("tr[data-host='lab1'] input[data-test='select-host']").Change(true);
        page.WaitForAssertion(() => Assert.EndsWith(", lab1", page.Find("[data-test='fleet-selected']").TextContent));
        Assert.True(page.Find("tr[data-host='lab1'] input[data-test='select-host']").HasAttribute("checked"));
    }

    [Fact]
    public async Task The_batches_list_shows_the_newest_first_and_sorts_pages_and_filters_on_host_names()
    {
        await using (var db = ControlPanelDb.Open(ui.DataDirectory))
        {
            for (var i = 1; i <= 30; i++)
                db.Batches.Add(new BatchRecord
                {
                    Kind = InstallRequest.Kind, Parallel = 2, RequestedBy = i % 2 == 0 ? "alice" : "bob", CreatedAt = DateTime.UtcNow.AddMinutes(i - 30),
                    TargetsJson = JsonSerializer.Serialize(new[] { new FleetTarget($"edge{i}", $"ssh://root@192.0.2.{i}"), new FleetTarget($"pi{i}", $"ssh://pi@198.51.100.{i}") }),
                });
            await db.SaveChangesAsync();
        }
        await new InventoryStore(ui.DataDirectory).AddAsync(InventoryHost.Create("edge1", "root@192.0.2.1", null, []));

        var page = ui.Render<Hosts>();
        page.WaitForAssertion(() => Assert.Equal(25, Rows(page, "batches", "data-batch").Count));
        Assert.Equal("1–25 of 30", Count(page, "batches"));
        Assert.Equal(["30", "29"], Rows(page, "batches", "data-batch").Take(2));
        Assert.Equal("descending", SortOf(page, "id"));
        Assert.Contains("edge30, pi30", page.Find("tr[data-batch='30']").TextContent);

        page.Find("[data-test='sort-by']").Click();
        page.WaitForAssertion(() => Assert.Equal("ascending", SortOf(page, "by")));
        Assert.All(page.FindAll("[data-test='batches'] tbody tr").Take(15), r => Assert.Contains("alice", r.TextContent));

        page.Find("#batches-filter").Input("pi17");
        page.WaitForAssertion(() => Assert.Equal(["17"], Rows(page, "batches", "data-batch")));
        Assert.Equal("1–1 of 1", Count(page, "batches"));
    }

    [Fact]
    public async Task Certificates_list_the_soonest_to_expire_first_and_sort_and_filter()
    {
        await ui.AddCertificateAsync("late.example.com", 80);
        await ui.AddCertificateAsync("soon.example.com", 5);
        await ui.AddCertificateAsync("mid.example.com", 40);

        var page = ui.Render<Certificates>();
        page.WaitForAssertion(() => Assert.Equal(3, Rows(page, "certificates", "data-cert").Count(c => c is not null)));
        Assert.Equal(["soon.example.com", "mid.example.com", "late.example.com"], Rows(page, "certificates", "data-cert").Where(c => c is not null));
        Assert.Equal("ascending", SortOf(page, "expires"));

        page.Find("[data-test='sort-domains']").Click();
        page.WaitForAssertion(() => Assert.Equal(["late.example.com", "mid.example.com", "soon.example.com"], Rows(page, "certificates", "data-cert").Where(c => c is not null)));

        page.Find("#certificates-filter").Input("mid");
        page.WaitForAssertion(() => Assert.Equal(["mid.example.com"], Rows(page, "certificates", "data-cert").Where(c => c is not null)));
        Assert.Equal("1–1 of 1", Count(page, "certificates"));
    }

    [Fact]
    public async Task Sessions_lists_every_open_session_marks_this_one_and_ends_another()
    {
        var accounts = ui.Service<AccountService>();
        var user = await accounts.CreateFirstUserAsync("admin", "a long enough password", "a long enough password");
        static HttpContext From(string address, string agent)
        {
            var http = new DefaultHttpContext();
            http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(address);
            http.Request.Headers.UserAgent = agent;
            return http;
        }
        var here = await accounts.StartSessionAsync(user, From("192.0.2.10", "Firefox on the laptop"));
        var phone = await accounts.StartSessionAsync(user, From("198.51.100.7", "Safari on the phone"));
        ui.Authorization.SetClaims([.. here.Claims]);

        var page = ui.Render<Sessions>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-test='sessions'] tbody tr").Count));
        var mine = page.Find("tr[data-current='1']");
        Assert.Contains("192.0.2.10", mine.TextContent);
        Assert.NotNull(mine.QuerySelector("[data-test='session-current']"));
        Assert.Null(mine.QuerySelector("[data-test='session-end']"));
        var other = page.Find("tr[data-current='0']");
        Assert.Contains("Safari on the phone", other.TextContent);

        other.QuerySelector("[data-test='session-end']")!.Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-test='sessions'] tbody tr")));
        Assert.False(await accounts.IsCurrentAsync(phone));
        Assert.True(await accounts.IsCurrentAsync(here));
    }
}
