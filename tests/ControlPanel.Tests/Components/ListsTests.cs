using System.Globalization;
using Bunit;
using ControlPanel.Components.Controls;
using ControlPanel.Components.Pages;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stack;
using ControlPanel.Model;
using ControlPanel.Resources;

namespace ControlPanel.Tests.Components;

/// <summary>Lists: filter, sort and pages (ListView, and the runs page over 30 real runs), and times shown relative with the exact one on hover.</summary>
public sealed class ListsTests : IAsyncDisposable
{
    readonly PanelUi ui = new();

    public ValueTask DisposeAsync() => ui.DisposeAsync();

    static ListView<(int N, string Name)> View(int pageSize = 3) => new(new Dictionary<string, Func<(int N, string Name), IComparable?>>
    {
        ["n"] = r => r.N,
        ["name"] = r => r.Name,
    }, r => [r.Name], "n", pageSize: pageSize);

    static readonly (int, string)[] Rows = [(1, "edge1"), (2, "edge2"), (3, "lab1"), (4, "edge3"), (5, "lab2"), (6, "edge4"), (7, "edge5")];

    [Fact]
    public void A_list_view_filters_sorts_both_ways_and_pages()
    {
        var view = View();
        Assert.Equal([7, 6, 5], view.Show(Rows).Select(r => r.N));
        Assert.Equal((1, 3, 7, 3), (view.First, view.Last, view.Matching, view.Pages));
        view.Next();
        view.Next();
        Assert.Equal([1], view.Show(Rows).Select(r => r.N));
        view.Next();
        Assert.Equal(2, view.Page);

        view.Filter = "LAB";
        view.FilterChanged();
        Assert.Equal(["lab2", "lab1"], view.Show(Rows).Select(r => r.Name));
        Assert.Equal((1, 2, 2, 1), (view.First, view.Last, view.Matching, view.Pages));

        view.SortOn("name");
        Assert.Equal("ascending", view.AriaSort("name"));
        Assert.Null(view.AriaSort("n"));
        Assert.Equal(["lab1", "lab2"], view.Show(Rows).Select(r => r.Name));
        view.SortOn("name");
        Assert.Equal(["lab2", "lab1"], view.Show(Rows).Select(r => r.Name));

        view.Filter = "nothing like it";
        Assert.Empty(view.Show(Rows));
        Assert.Equal((0, 0, 1), (view.First, view.Last, view.Pages));
    }

    [Theory]
    [InlineData("en", -5, "just now")]
    [InlineData("en", -42, "42 s ago")]
    [InlineData("en", -180, "3 min ago")]
    [InlineData("en", -7200, "2 h ago")]
    [InlineData("en", 60 * 86400 + 30, "in 60 d")]
    [InlineData("zh-CN", -180, "3 分钟前")]
    [InlineData("zh-CN", 60 * 86400 + 30, "60 天后")]
    public void Times_read_as_people_say_them_in_both_languages(string culture, int seconds, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo(culture);
        try { Assert.Equal(expected, S.Relative(TimeSpan.FromSeconds(seconds))); }
        finally { CultureInfo.CurrentUICulture = before; }
    }

    [Fact]
    public void A_time_shows_relative_with_the_exact_utc_time_on_hover()
    {
        var at = DateTime.UtcNow.AddMinutes(-3).AddSeconds(-5);
        var time = ui.Render<When>(p => p.Add(w => w.At, at)).Find("time");
        Assert.Equal("3 min ago", time.TextContent);
        Assert.Equal(Format.Time(at), time.GetAttribute("title"));
        Assert.Equal(DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("O"), time.GetAttribute("datetime"));
    }

    [Fact]
    public async Task The_runs_page_has_a_host_column_a_filter_sorting_and_pages()
    {
        var engine = ui.Service<RunEngine>();
        var request = InstallRequest.Parse("panel.example.com", "admin@example.com", "faasd", "seed", null, null, StackPlans.Profiles);
        // Queued runs (the job server is not started): one per host, the hosts' lock allows no second.
        for (var i = 1; i <= 30; i++) await engine.StartAsync(request, $"ssh://root@192.0.2.{i}");

        var page = ui.Render<Runs>();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-test='runs'] tbody tr").Count));
        Assert.Equal("1–25 of 30", page.Find("[data-test='runs-count']").TextContent);
        Assert.Equal("30", page.Find("[data-test='runs'] tbody tr").GetAttribute("data-run"));
        Assert.Contains("root@192.0.2.30", page.Find("[data-test='runs'] tbody tr td.host").TextContent);
        Assert.Equal("descending", page.Find("th:has([data-test='sort-id'])").GetAttribute("aria-sort"));

        page.Find("[data-test='runs-next']").Click();
        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll("[data-test='runs'] tbody tr").Count));
        Assert.Equal("26–30 of 30", page.Find("[data-test='runs-count']").TextContent);
        Assert.True(page.Find("[data-test='runs-next']").HasAttribute("disabled"));

        page.Find("[data-test='sort-id']").Click();
        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-test='runs'] tbody tr").GetAttribute("data-run")));
        Assert.Equal("ascending", page.Find("th:has([data-test='sort-id'])").GetAttribute("aria-sort"));

        page.Find("#runs-filter").Input("192.0.2.7");
        page.WaitForAssertion(() => Assert.Equal(["7"], page.FindAll("[data-test='runs'] tbody tr").Select(r => r.GetAttribute("data-run"))));
        Assert.Equal("1–1 of 1", page.Find("[data-test='runs-count']").TextContent);
    }
}
