using ControlPanel.Engine.Inventory;
using ControlPanel.Resources;
using ControlPanel.Web;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Controls;

/// <summary>This machine or a host of the inventory; the value is the engine's host spec ("local", ssh://user@host:port).</summary>
public partial class HostPicker
{
    [Parameter, EditorRequired] public string Id { get; set; } = "";
    [Parameter] public string Value { get; set; } = "local";
    [Parameter] public EventCallback<string> ValueChanged { get; set; }
    [Inject] PanelSettings Settings { get; set; } = default!;

    static (string Value, string Text) ThisMachine => ("local", S.ThisMachine.ToString());

    IReadOnlyList<(string Value, string Text)> options = [ThisMachine];

    protected override async Task OnInitializedAsync() =>
        options = [ThisMachine,
            .. FleetTargets.Of((await new InventoryStore(Settings.DataDirectory).ListAsync()).Select(InventoryStore.ToHost)).Select(t => (t.HostSpec, $"{t.Name} ({t.HostSpec})"))];
}
