namespace ControlPanel.Cli;

/// <summary>Exit codes scripts rely on.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int StageFailed = 1;
    public const int BadInput = 2;
    public const int HostBusy = 3;
}
