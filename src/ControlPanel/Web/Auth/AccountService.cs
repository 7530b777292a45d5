using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using ControlPanel.Engine.Accounts;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace ControlPanel.Web.Auth;

public enum LoginOutcome { Ok, WrongCredentials, Throttled, CodeRequired }

/// <param name="WaitUntil">Throttled: when the next attempt may be made.</param>
/// <param name="RecoveryCodesLeft">Set when the sign-in used a recovery code: how many the user has left.</param>
public sealed record LoginResult(LoginOutcome Outcome, UserRecord? User = null, DateTime? WaitUntil = null, int? RecoveryCodesLeft = null)
{
    /// <summary>Whole seconds left to wait when throttled (at least 1), as the sign-in form and the reveal say it.</summary>
    public int WaitSeconds => WaitUntil is { } until ? Math.Max(1, (int)Math.Ceiling((until - DateTime.UtcNow).TotalSeconds)) : 0;
}

/// <summary>Panel accounts: the first admin (via the setup token), password checks with throttling, optional TOTP, sessions.</summary>
public sealed class AccountService(string dataDirectory)
{
    readonly AccountStore store = new(dataDirectory);
    readonly SignInThrottle throttle = new(dataDirectory);

    static readonly MessageTemplate PasswordMismatch = new("input.password-mismatch", "does not match the password");
    static readonly MessageTemplate UserNameShape = new("input.username", "must be 1-64 letters, digits, '.', '_' or '-'");
    static readonly MessageTemplate NoSuchUser = new("input.no-such-user", "is not a user of this panel");

    public const int MinPasswordLength = 12;
    public const string StampClaim = "controlpanel:stamp";
    public const string SessionClaim = "controlpanel:session";

    readonly PasswordHasher<UserRecord> hasher = new();
    // Checked against when the user name is unknown, so a wrong name costs the same time as a wrong password.
    readonly Lazy<string> decoyHash = new(() => new PasswordHasher<UserRecord>().HashPassword(null!, PasswordGenerator.Create()));

    public Task<bool> HasUsersAsync() => store.AnyAsync();

    /// <summary>Creates the first user. Throws InputException naming the field for a bad name or password.</summary>
    public async Task<UserRecord> CreateFirstUserAsync(string? userName, string? password, string? confirmation)
    {
        var name = RequireUserName(userName);
        var pass = RequirePassword(password);
        if (pass != confirmation) throw new InputException("confirm", null, PasswordMismatch.Message());
        var user = new UserRecord
        {
            UserName = name, PasswordHash = "", SecurityStamp = Guid.NewGuid().ToString("N"), CreatedAt = DateTime.UtcNow,
        };
        user.PasswordHash = hasher.HashPassword(user, pass);
        if (!await store.AddFirstAsync(user)) throw new InvalidOperationException("the panel is already set up");
        return user;
    }

    /// <summary>
    /// Checks a sign-in. Known and unknown names take the same path (a hash check, a failure counted against the name and
    /// the address), so neither the answer nor its time tells whether the user exists.
    /// </summary>
    public async Task<LoginResult> VerifyAsync(string? userName, string? password, string? code, string? address)
    {
        var name = userName?.Trim() ?? "";
        var now = DateTime.UtcNow;
        if (await throttle.WaitUntilAsync(name, address, now) is { } until) return new LoginResult(LoginOutcome.Throttled, WaitUntil: until);

        var user = await store.FindAsync(name);
        var passwordOk = false;
        if (user is null) hasher.VerifyHashedPassword(null!, decoyHash.Value, password ?? "");
        else passwordOk = hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "") != PasswordVerificationResult.Failed;
        var codeOk = user?.TotpSecret is null || Totp.Verify(Base32Encoding.ToBytes(user.TotpSecret), code?.Trim(), DateTimeOffset.UtcNow);
        // A recovery code is only tried, and so used up, behind the right password.
        var recovered = !codeOk && passwordOk && RecoveryCodes.CouldBe(code) && await store.UseRecoveryCodeAsync(user!.Id, RecoveryCodes.Hash(code!));
        if (user is not null && passwordOk && (codeOk || recovered))
        {
            await throttle.SucceededAsync(name, address);
            await store.SaveSignInAsync(user.Id, now);
            return new LoginResult(LoginOutcome.Ok, user, RecoveryCodesLeft: recovered ? await store.RecoveryCodesLeftAsync(user.Id) : null);
        }
        // A right password without the code is not counted as a failure: the form then asks for the code.
        if (passwordOk && string.IsNullOrWhiteSpace(code)) return new LoginResult(LoginOutcome.CodeRequired, user);
        await throttle.FailedAsync(name, address, now);
        return new LoginResult(LoginOutcome.WrongCredentials);
    }

    /// <summary>`controlpanel users reset-password`: a new password, every session of the user ended, their throttle cleared.</summary>
    public async Task ResetPasswordAsync(string? userName, string? password)
    {
        var user = await store.FindAsync(userName?.Trim() ?? "") ?? throw new InputException("NAME", userName, NoSuchUser.Message());
        var pass = RequirePassword(password);
        await store.SetPasswordHashAsync(user.Id, hasher.HashPassword(user, pass));
        await store.RenewStampAsync(user.Id, DateTime.UtcNow);
        await throttle.UnlockAsync(user.UserName);
    }

    /// <summary>
    /// The signed-in user's new password: every error of the new one at once (nothing counted against the throttle), then
    /// the current password through the sign-in throttle like any sign-in. On success every session of the user ends,
    /// this one too. The result is the check of the current password (Ok, or CodeRequired: right, two-factor on).
    /// </summary>
    public async Task<LoginResult> ChangePasswordAsync(ClaimsPrincipal principal, string? current, string? password, string? confirmation, string? address)
    {
        var errors = new InputErrors();
        var pass = errors.Check(() => RequirePassword(password));
        errors.Check(() => password == confirmation ? confirmation : throw new InputException("confirm", null, PasswordMismatch.Message()));
        errors.ThrowIfAny();
        var check = await VerifyAsync(principal.Identity?.Name, current, null, address);
        if (check.Outcome is not (LoginOutcome.Ok or LoginOutcome.CodeRequired)) return check;
        await store.SetPasswordHashAsync(check.User!.Id, hasher.HashPassword(check.User, pass!));
        await store.RenewStampAsync(check.User.Id, DateTime.UtcNow);
        return check;
    }

    /// <summary>`controlpanel users unlock`: forgets the failed sign-ins counted against the name; false when there were none.</summary>
    public async Task<bool> UnlockAsync(string? userName)
    {
        var user = await store.FindAsync(userName?.Trim() ?? "") ?? throw new InputException("NAME", userName, NoSuchUser.Message());
        return await throttle.UnlockAsync(user.UserName);
    }

    public Task<List<UserRecord>> ListAsync() => store.ListAsync();

    /// <summary>Starts a session for a user who just proved who they are; the cookie made from the principal names it.</summary>
    public async Task<ClaimsPrincipal> StartSessionAsync(UserRecord user, HttpContext http)
    {
        var now = DateTime.UtcNow;
        var session = new SessionRecord
        {
            Id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)), UserId = user.Id, CreatedAt = now, LastSeenAt = now,
            RemoteAddress = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 200)] : null,
        };
        await store.StartSessionAsync(session);
        return new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new Claim(ClaimTypes.Name, user.UserName),
            new Claim(StampClaim, user.SecurityStamp),
            new Claim(SessionClaim, session.Id),
            // Every account of the panel administers it; the role says so to what asks for it (the jobs dashboard).
            new Claim(ClaimTypes.Role, AuthSetup.AdministratorRole),
        ], CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>A cookie is good while its session stands (not signed out, not ended) and its user's stamp is the one it was made with.</summary>
    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal) =>
        UserId(principal) is { } id && await store.IsCurrentAsync(id, principal.FindFirstValue(StampClaim), SessionId(principal), DateTime.UtcNow);

    public static string? SessionId(ClaimsPrincipal principal) => principal.FindFirstValue(SessionClaim);

    static long? UserId(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>Ends the principal's own session (sign-out).</summary>
    public async Task EndSessionAsync(ClaimsPrincipal principal)
    {
        if (UserId(principal) is { } id && SessionId(principal) is { } session) await store.EndSessionAsync(id, session, DateTime.UtcNow);
    }

    /// <summary>Ends one of the principal's user's sessions; false when it had ended already or is another user's.</summary>
    public async Task<bool> EndSessionAsync(ClaimsPrincipal principal, string sessionId) =>
        UserId(principal) is { } id && await store.EndSessionAsync(id, sessionId, DateTime.UtcNow);

    public async Task<List<SessionRecord>> ActiveSessionsAsync(ClaimsPrincipal principal) =>
        UserId(principal) is { } id ? await store.ActiveSessionsAsync(id) : [];

    public Task<UserRecord?> FindAsync(string userName) => store.FindAsync(userName);

    /// <summary>
    /// Turns two-factor sign-in on once the user proves the authenticator works with a current code, with the recovery
    /// codes they were shown beside it. Like any change of how the user signs in, it ends every session of theirs, this
    /// one too: the next sign-in uses the code.
    /// </summary>
    public async Task<bool> EnableTotpAsync(ClaimsPrincipal principal, string secret, string? code, IReadOnlyList<string> recoveryCodes)
    {
        if (!Totp.Verify(Base32Encoding.ToBytes(secret), code?.Trim(), DateTimeOffset.UtcNow)) return false;
        await SetTotpSecretAsync(principal, secret, RecoveryCodes.Store(recoveryCodes));
        return true;
    }

    public Task DisableTotpAsync(ClaimsPrincipal principal) => SetTotpSecretAsync(principal, null, null);

    async Task SetTotpSecretAsync(ClaimsPrincipal principal, string? secret, string? recoveryCodes)
    {
        var id = UserId(principal) ?? throw new InvalidOperationException("nobody is signed in");
        await store.SetTotpSecretAsync(id, secret, recoveryCodes);
        await store.RenewStampAsync(id, DateTime.UtcNow);
    }

    /// <summary>New recovery codes in place of the old ones (which stop working); null when two-factor sign-in is off.</summary>
    public async Task<IReadOnlyList<string>?> NewRecoveryCodesAsync(ClaimsPrincipal principal)
    {
        var id = UserId(principal) ?? throw new InvalidOperationException("nobody is signed in");
        var codes = RecoveryCodes.New();
        return await store.SetRecoveryCodesAsync(id, RecoveryCodes.Store(codes)) ? codes : null;
    }

    public async Task<int> RecoveryCodesLeftAsync(ClaimsPrincipal principal) =>
        UserId(principal) is { } id ? await store.RecoveryCodesLeftAsync(id) : 0;

    static string RequirePassword(string? password) =>
        password is null || password.Length < MinPasswordLength
            ? throw new InputException("password", null, InputReasons.AtLeast.With(("count", MinPasswordLength)))
            : Inputs.RequirePassword("password", password);

    static string RequireUserName(string? value)
    {
        var v = value?.Trim() ?? "";
        if (v.Length is < 1 or > 64 || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new InputException("username", value, UserNameShape.Message());
        return v;
    }
}
