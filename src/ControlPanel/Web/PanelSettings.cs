namespace ControlPanel.Web;

/// <summary>How the panel was started.</summary>
public sealed record PanelSettings(string DataDirectory, string Urls);
