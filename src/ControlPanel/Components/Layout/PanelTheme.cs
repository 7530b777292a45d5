using MudBlazor;

namespace ControlPanel.Components.Layout;

/// <summary>The panel's one theme, light and dark. Secondary text is darker than MudBlazor's default so that it keeps 4.5:1 on white.</summary>
public static class PanelTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            AppbarBackground = "#1565c0",
            Background = "#f4f6f8",
            TextPrimary = "#1f2a33",
            TextSecondary = "#455a64",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9",
            AppbarBackground = "#1e2730",
            TextSecondary = "#b0bec5",
        },
    };
}
