using Bunit;
using ControlPanel.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Tests.Components;

/// <summary>The frame every page sits in: the drawer behind the menu button, the theme switch, the main landmark.</summary>
public sealed class LayoutTests : IAsyncDisposable
{
    readonly PanelUi ui = new();

    public ValueTask DisposeAsync() => ui.DisposeAsync();

    IRenderedComponent<MainLayout> Layout() =>
        ui.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<h1>page body</h1>"))));

    [Fact]
    public void The_menu_button_opens_and_closes_the_navigation_drawer()
    {
        var layout = Layout();
        Assert.Equal("page body", layout.Find("main h1").TextContent);
        Assert.NotEmpty(layout.FindAll("[data-test='drawer'] [data-test='nav-runs']"));
        // bUnit's loose JS reports the smallest viewport, as a phone would: the responsive drawer starts closed.
        Assert.Equal("false", layout.Find("[data-test='menu']").GetAttribute("aria-expanded"));
        Assert.Contains("mud-drawer--closed", layout.Find("[data-test='drawer']").ClassName);

        layout.Find("[data-test='menu']").Click();
        layout.WaitForAssertion(() => Assert.Equal("true", layout.Find("[data-test='menu']").GetAttribute("aria-expanded")));
        Assert.Contains("mud-drawer--open", layout.Find("[data-test='drawer']").ClassName);

        layout.Find("[data-test='menu']").Click();
        layout.WaitForAssertion(() => Assert.Contains("mud-drawer--closed", layout.Find("[data-test='drawer']").ClassName));
    }

    [Fact]
    public void The_theme_follows_the_users_pick_stored_in_the_browser_and_the_switch_stores_the_new_one()
    {
        ui.Context.JSInterop.Setup<string?>("cpPanel.theme").SetResult("dark");
        var layout = Layout();
        layout.WaitForAssertion(() => Assert.Equal("dark", layout.Find("[data-test='theme-switch']").GetAttribute("data-theme")));

        layout.Find("[data-test='theme-switch']").Click();
        layout.WaitForAssertion(() => Assert.Equal("light", layout.Find("[data-test='theme-switch']").GetAttribute("data-theme")));
        var stored = ui.Context.JSInterop.VerifyInvoke("cpPanel.setTheme");
        Assert.Equal("light", stored.Arguments[0]);
    }

    [Fact]
    public void Without_a_stored_pick_the_theme_is_the_systems()
    {
        ui.Context.JSInterop.Setup<string?>("cpPanel.theme").SetResult(null);
        var layout = Layout();
        // bUnit's loose JS answers MudBlazor's "is the system dark?" with false: light.
        layout.WaitForAssertion(() => Assert.Equal("light", layout.Find("[data-test='theme-switch']").GetAttribute("data-theme")));
        ui.Context.JSInterop.VerifyNotInvoke("cpPanel.setTheme");
    }
}
