namespace ControlPanel.Engine.Data;

/// <summary>A panel user. The password is stored only as a salted hash; TOTP is optional.</summary>
public sealed class UserRecord
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }
    /// <summary>Base32 TOTP secret once two-factor sign-in is turned on; null while it is off.</summary>
    public string? TotpSecret { get; set; }
    public int FailedLogins { get; set; }
    public DateTime? LockedUntil { get; set; }
    /// <summary>Changes on password change and logout-everywhere, so existing cookies stop working.</summary>
    public required string SecurityStamp { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastLoginAt { get; set; }
}

/// <summary>Who did what, when, from where: one row per security-relevant or host-changing action.</summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    /// <summary>The user name, or "-" before anyone is signed in (a failed login names the name tried).</summary>
    public required string User { get; set; }
    public required string Action { get; set; }
    public string? Detail { get; set; }
    public string? RemoteAddress { get; set; }
}

/// <summary>A panel setting (defaults for the install form: mirror, versions profile).</summary>
public sealed class SettingRecord
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
