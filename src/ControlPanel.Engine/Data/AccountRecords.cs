namespace ControlPanel.Engine.Data;

/// <summary>A panel user. The password is stored only as a salted hash; TOTP is optional.</summary>
public sealed class UserRecord
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public required string PasswordHash { get; set; }
    /// <summary>Base32 TOTP secret once two-factor sign-in is turned on; null while it is off.</summary>
    public string? TotpSecret { get; set; }
    /// <summary>SHA-256 hashes of the recovery codes not used yet, space-separated; null while two-factor sign-in is off.</summary>
    public string? RecoveryCodes { get; set; }
    /// <summary>Changes when the password or two-factor sign-in changes: every session of the user ends with it.</summary>
    public required string SecurityStamp { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastLoginAt { get; set; }
}

/// <summary>
/// A sign-in. The cookie carries its id, and every request and every live page checks that it still stands: signing
/// out, ending it from the sessions page, or a change of its user's security stamp ends it on the server, so a copied
/// cookie stops working at once instead of at its expiry.
/// </summary>
public sealed class SessionRecord
{
    /// <summary>128 random bits, base64url.</summary>
    public required string Id { get; set; }
    public long UserId { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Updated at most once a minute, by the requests and pages of the session.</summary>
    public DateTime LastSeenAt { get; set; }
    public string? RemoteAddress { get; set; }
    public string? UserAgent { get; set; }
    public DateTime? EndedAt { get; set; }
}

/// <summary>
/// Failed sign-ins counted against one key: a user name as typed ("user:NAME", whether or not such a user exists, so
/// the answers do not tell) or a client address ("address:IP"). The next attempt under the key waits until NotBefore.
/// </summary>
public sealed class SignInFailureRecord
{
    public required string Key { get; set; }
    public int Failures { get; set; }
    public DateTime LastFailureAt { get; set; }
    public DateTime NotBefore { get; set; }
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
