namespace ControlPanel.Web;

/// <summary>How the panel was started.</summary>
public sealed record PanelSettings(string DataDirectory, string Urls)
{
    /// <summary>Set only by the hidden `serve --fixture-plans DIR`: harmless fixture stages replace the real plans (tests).</summary>
    public string? FixturePlansDirectory { get; init; }

    /// <summary>Runs the panel executes at once (Hangfire workers): a running run holds one for its whole length, so a batch's --parallel above this waits for free workers.</summary>
    public const int Workers = 20;

    /// <summary>Where nginx lives for the proxy page; Debian's nginx unless the hidden `serve --nginx-target FILE` points elsewhere (tests).</summary>
    public Engine.Nginx.NginxTarget Nginx { get; init; } = new();
}
