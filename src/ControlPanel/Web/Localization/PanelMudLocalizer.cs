using ControlPanel.Resources;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace ControlPanel.Web.Localization;

/// <summary>
/// MudBlazor's own texts (a dialog's close button, a field's clear button, pagers, number inputs, conversion errors)
/// in the panel's language: MudBlazor asks this for any culture but English, by its own keys, and keeps its English
/// for a key the resource file (Resources/MudTexts.zh-Hans.resx) does not have.
/// </summary>
public sealed class PanelMudLocalizer(IStringLocalizer<MudTexts> texts) : MudLocalizer
{
    public override LocalizedString this[string key] => texts[key];
}
