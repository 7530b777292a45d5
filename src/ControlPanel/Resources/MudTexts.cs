namespace ControlPanel.Resources;

/// <summary>Names MudTexts.resx and its translations: MudBlazor's texts, by MudBlazor's keys (<see cref="Web.Localization.PanelMudLocalizer"/>).</summary>
public sealed class MudTexts;
