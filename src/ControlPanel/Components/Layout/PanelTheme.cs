using MudBlazor;

namespace ControlPanel.Components.Layout;

/// <summary>The panel's one theme, light and dark. Secondary text, the secondary colour and the dark theme's button texts are chosen for 4.5:1 contrast (axe-core checks every page in both).</summary>
public static class PanelTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#6a1b9a",
            AppbarBackground = "#1565c0",
            Background = "#f4f6f8",
            TextPrimary = "#1f2a33",
            TextSecondary = "#455a64",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9",
            // Light blue buttons need dark text: white on #90caf9 is 1.7:1.
            PrimaryContrastText = "#0d1b2a",
            Secondary = "#ce93d8",
            SecondaryContrastText = "#1a0d1f",
            AppbarBackground = "#1e2730",
            TextSecondary = "#b0bec5",
        },
    };
}
