namespace ControlPanel.Engine.Acme;

/// <summary>
/// When a certificate is due: once a third of its lifetime or 30 days remain, whichever comes later
/// (i.e. the smaller remaining window). For Let's Encrypt's 90-day certificates both say 30 days; for a
/// 6-day certificate a third (2 days) applies; a long-lived certificate is not renewed years early.
/// </summary>
public static class RenewalPolicy
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(30);

    /// <summary>How often an installed certificate is looked at.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromDays(1);

    public static DateTime RenewAt(DateTime notBefore, DateTime notAfter)
    {
        var third = (notAfter - notBefore) / 3;
        return notAfter - (third < MaxWindow ? third : MaxWindow);
    }

    public static bool IsDue(DateTime notBefore, DateTime notAfter, DateTime now) => now >= RenewAt(notBefore, notAfter);

    /// <summary>After a failed attempt: 1 h, 2 h, 4 h ... at most a day between attempts.</summary>
    public static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromHours(Math.Min(24, Math.Pow(2, Math.Max(0, failures - 1))));
}
