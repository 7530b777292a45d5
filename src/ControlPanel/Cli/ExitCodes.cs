namespace ControlPanel.Cli;

/// <summary>Exit codes scripts rely on.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int StageFailed = 1;
    public const int BadInput = 2;
    public const int HostBusy = 3;
    /// <summary>A host key differs from the pinned one (possible man in the middle), or could not be read.</summary>
    public const int HostKeyRefused = 4;
    /// <summary>The database is not one this release can upgrade; nothing in it was changed.</summary>
    public const int DatabaseRefused = 5;
    /// <summary>`hosts trust` pinned the key, but signing in as a run will (key, user) failed.</summary>
    public const int SignInFailed = 6;
}
