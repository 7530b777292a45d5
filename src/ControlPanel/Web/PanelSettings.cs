namespace ControlPanel.Web;

/// <summary>How the panel was started.</summary>
public sealed record PanelSettings(string DataDirectory, string Urls)
{
    /// <summary>Set only by the hidden `serve --fixture-plans DIR`: harmless fixture stages replace the real plans (tests).</summary>
    public string? FixturePlansDirectory { get; init; }
}
