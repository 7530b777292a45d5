namespace ControlPanel.Engine.Inventory;

/// <summary>A host of a batch: its display name and the spec its run uses.</summary>
public sealed record FleetTarget(string Name, string HostSpec);
