using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;

namespace ControlPanel.Components.Layout;

/// <summary>
/// The panel's frame: app bar, the navigation drawer (beside the page on wide screens, behind the menu button on a
/// phone), and the theme: the system's light or dark until the user picks one, which this browser remembers.
/// </summary>
public partial class MainLayout : IDisposable
{
    [Inject] IJSRuntime JS { get; set; } = default!;
    [Inject] IBrowserViewportService Viewport { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    MudThemeProvider? themeProvider;
    bool drawerOpen = true;
    bool dark;
    // The user's pick from this browser's storage; null follows the system.
    bool? chosen;
    bool readyPending;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (readyPending)
        {
            // The render with the user's theme and drawer is on the page now: it is ready (tests wait for this).
            readyPending = false;
            await JS.InvokeVoidAsync("cpPanel.ready");
        }
        if (!firstRender) return;
        // Wide screens keep the drawer beside the page; on a phone it waits behind the menu button and goes away once a page is chosen.
        if (await NarrowAsync()) drawerOpen = false;
        Navigation.LocationChanged += OnLocationChanged;
        chosen = await JS.InvokeAsync<string?>("cpPanel.theme") switch { "dark" => true, "light" => false, _ => null };
        if (themeProvider is not null)
        {
            dark = chosen ?? await themeProvider.GetSystemDarkModeAsync();
            await themeProvider.WatchSystemDarkModeAsync(OnSystemThemeChanged);
        }
        readyPending = true;
        StateHasChanged();
    }

    Task OnSystemThemeChanged(bool systemDark)
    {
        if (chosen is not null) return Task.CompletedTask;
        dark = systemDark;
        return InvokeAsync(StateHasChanged);
    }

    async Task<bool> NarrowAsync() => await Viewport.GetCurrentBreakpointAsync() <= Breakpoint.Sm;

    void OnLocationChanged(object? sender, LocationChangedEventArgs e) => _ = InvokeAsync(async () =>
    {
        if (!drawerOpen || !await NarrowAsync()) return;
        drawerOpen = false;
        StateHasChanged();
    });

    public void Dispose() => Navigation.LocationChanged -= OnLocationChanged;

    void ToggleDrawer() => drawerOpen = !drawerOpen;

    async Task ToggleThemeAsync()
    {
        dark = !dark;
        chosen = dark;
        await JS.InvokeVoidAsync("cpPanel.setTheme", dark ? "dark" : "light");
    }
}
