using System.Security.Claims;
using ControlPanel.Engine.Accounts;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace ControlPanel.Web.Auth;

public enum LoginOutcome { Ok, WrongCredentials, LockedOut, CodeRequired }

public sealed record LoginResult(LoginOutcome Outcome, UserRecord? User = null, DateTime? LockedUntil = null);

/// <summary>Panel accounts: the first admin (via the setup token), password checks with lockout, optional TOTP.</summary>
public sealed class AccountService(PanelSettings settings)
{
    readonly AccountStore store = new(settings.DataDirectory);

    static readonly MessageTemplate PasswordMismatch = new("input.password-mismatch", "does not match the password");
    static readonly MessageTemplate UserNameShape = new("input.username", "must be 1-64 letters, digits, '.', '_' or '-'");

    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public const string StampClaim = "controlpanel:stamp";

    readonly PasswordHasher<UserRecord> hasher = new();
    // Checked against when the user name is unknown, so a wrong name costs the same time as a wrong password.
    readonly Lazy<string> decoyHash = new(() => new PasswordHasher<UserRecord>().HashPassword(null!, PasswordGenerator.Create()));

    public Task<bool> HasUsersAsync() => store.AnyAsync();

    /// <summary>Creates the first user. Throws InputException naming the field for a bad name or password.</summary>
    public async Task<UserRecord> CreateFirstUserAsync(string? userName, string? password, string? confirmation)
    {
        var name = RequireUserName(userName);
        if (password is null || password.Length < 12) throw new InputException("password", null, InputReasons.AtLeast.With(("count", 12)));
        var pass = Inputs.RequirePassword("password", password);
        if (pass != confirmation) throw new InputException("confirm", null, PasswordMismatch.Message());
        var user = new UserRecord
        {
            UserName = name, PasswordHash = "", SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = DateTime.UtcNow,
        };
        user.PasswordHash = hasher.HashPassword(user, pass);
        if (!await store.AddFirstAsync(user)) throw new InvalidOperationException("the panel is already set up");
        return user;
    }

    public async Task<LoginResult> VerifyAsync(string? userName, string? password, string? code)
    {
        var user = await store.FindAsync(userName?.Trim() ?? "");
        if (user is null)
        {
            hasher.VerifyHashedPassword(null!, decoyHash.Value, password ?? "");
            return new LoginResult(LoginOutcome.WrongCredentials);
        }
        var now = DateTime.UtcNow;
        if (user.LockedUntil is { } until && until > now) return new LoginResult(LoginOutcome.LockedOut, user, until);

        var passwordOk = hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "") != PasswordVerificationResult.Failed;
        var codeOk = user.TotpSecret is null || Totp.Verify(Base32Encoding.ToBytes(user.TotpSecret), code?.Trim(), DateTimeOffset.UtcNow);
        if (passwordOk && codeOk)
        {
            user.FailedLogins = 0;
            user.LockedUntil = null;
            user.LastLoginAt = now;
            await store.SaveSignInAsync(user);
            return new LoginResult(LoginOutcome.Ok, user);
        }
        // A right password without the code is not counted as a failure: the form then asks for the code.
        if (passwordOk && string.IsNullOrWhiteSpace(code)) return new LoginResult(LoginOutcome.CodeRequired, user);
        user.FailedLogins++;
        if (user.FailedLogins >= MaxFailures)
        {
            user.FailedLogins = 0;
            user.LockedUntil = now + LockoutDuration;
            await store.SaveSignInAsync(user);
            return new LoginResult(LoginOutcome.LockedOut, user, user.LockedUntil);
        }
        await store.SaveSignInAsync(user);
        return new LoginResult(LoginOutcome.WrongCredentials, user);
    }

    public static ClaimsPrincipal Principal(UserRecord user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
        new Claim(ClaimTypes.Name, user.UserName),
        new Claim(StampClaim, user.SecurityStamp),
        // Every account of the panel administers it; the role says so to what asks for it (the jobs dashboard).
        new Claim(ClaimTypes.Role, AuthSetup.AdministratorRole),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>A cookie stays valid only while its user exists with the same security stamp.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal)
    {
        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return false;
        return await store.IsCurrentAsync(id, principal.FindFirstValue(StampClaim));
    }

    public Task<UserRecord?> FindAsync(string userName) => store.FindAsync(userName);

    /// <summary>Turns two-factor sign-in on once the user proves the authenticator works with a current code.</summary>
    public async Task<bool> EnableTotpAsync(string userName, string secret, string? code)
    {
        if (!Totp.Verify(Base32Encoding.ToBytes(secret), code?.Trim(), DateTimeOffset.UtcNow)) return false;
        await store.SetTotpSecretAsync(userName, secret);
        return true;
    }

    public Task DisableTotpAsync(string userName) => store.SetTotpSecretAsync(userName, null);

    static string RequireUserName(string? value)
    {
        var v = value?.Trim() ?? "";
        if (v.Length is < 1 or > 64 || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new InputException("username", value, UserNameShape.Message());
        return v;
    }
}
