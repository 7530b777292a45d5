using ControlPanel.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Accounts;

/// <summary>
/// The panel's accounts as stored: the faces check passwords and codes (the web app with ASP.NET's hasher) and keep
/// the result here. The first account can only be added while there is none.
/// </summary>
public sealed class AccountStore(string dataDirectory)
{
    /// <summary>
    /// Whether any account exists. Plain SQL, not EF: the panel asks it before it first answers (the setup token), where
    /// EF's first query in a process would cost about 0.2 s more of its start.
    /// </summary>
    public async Task<bool> AnyAsync()
    {
        await using var connection = await ControlPanelDb.OpenConnectionAsync(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT EXISTS (SELECT 1 FROM "Users")""";
        return Convert.ToInt64(await command.ExecuteScalarAsync()) == 1;
    }

    public async Task<UserRecord?> FindAsync(string userName)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == userName);
    }

    /// <summary>Adds the first account; false when one exists already (the panel was set up meanwhile).</summary>
    public async Task<bool> AddFirstAsync(UserRecord user)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        await using var tx = await db.Database.BeginTransactionAsync();
        if (await db.Users.AnyAsync()) return false;
        db.Users.Add(user);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return true;
    }

    public async Task SaveSignInAsync(long userId, DateTime at)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastLoginAt, at));
    }

    public async Task<List<UserRecord>> ListAsync()
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync();
    }

    /// <summary>A new password hash; false when there is no such user.</summary>
    public async Task<bool> SetPasswordHashAsync(long userId, string hash)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordHash, hash)) > 0;
    }

    /// <summary>Two-factor sign-in on (a secret and the hashes of its recovery codes) or off (both null).</summary>
    public async Task SetTotpSecretAsync(long userId, string? secret, string? recoveryCodes)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.TotpSecret, secret).SetProperty(x => x.RecoveryCodes, recoveryCodes));
    }

    /// <summary>New recovery codes for a user with two-factor sign-in on; the old ones stop working. False when it is off.</summary>
    public async Task<bool> SetRecoveryCodesAsync(long userId, string recoveryCodes)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Users.Where(u => u.Id == userId && u.TotpSecret != null)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.RecoveryCodes, recoveryCodes)) > 0;
    }

    public async Task<int> RecoveryCodesLeftAsync(long userId)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return RecoveryCodes.Stored(await db.Users.Where(u => u.Id == userId).Select(u => u.RecoveryCodes).SingleOrDefaultAsync()).Count;
    }

    /// <summary>
    /// Strikes the code off if it is one of the user's unused ones; true then. Compare-and-swap on the whole list, so
    /// two sign-ins racing with one code cannot both use it.
    /// </summary>
    public async Task<bool> UseRecoveryCodeAsync(long userId, string hash)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        var codes = await db.Users.Where(u => u.Id == userId).Select(u => u.RecoveryCodes).SingleOrDefaultAsync();
        var left = RecoveryCodes.Stored(codes);
        if (!left.Remove(hash)) return false;
        var rest = RecoveryCodes.Join(left);
        return await db.Users.Where(u => u.Id == userId && u.RecoveryCodes == codes)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.RecoveryCodes, rest)) > 0;
    }

    /// <summary>Whether a session still stands: not ended, and made for its user's current security stamp.</summary>
    public async Task<bool> IsCurrentAsync(long userId, string? securityStamp, string? sessionId, DateTime now)
    {
        if (sessionId is null) return false;
        await using var db = ControlPanelDb.Open(dataDirectory);
        var current = await db.Sessions.AnyAsync(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null
            && db.Users.Any(u => u.Id == userId && u.SecurityStamp == securityStamp));
        if (current)
            await db.Sessions.Where(s => s.Id == sessionId && s.LastSeenAt < now.AddMinutes(-1))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now));
        return current;
    }

    public async Task StartSessionAsync(SessionRecord session)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
    }

    /// <summary>The sessions of a user that still stand, the latest seen first.</summary>
    public async Task<List<SessionRecord>> ActiveSessionsAsync(long userId)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Sessions.AsNoTracking().Where(s => s.UserId == userId && s.EndedAt == null)
            .OrderByDescending(s => s.LastSeenAt).ToListAsync();
    }

    /// <summary>Ends one session of a user; false when it had ended already or is not theirs.</summary>
    public async Task<bool> EndSessionAsync(long userId, string sessionId, DateTime now)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Sessions.Where(s => s.Id == sessionId && s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now)) > 0;
    }

    /// <summary>A new security stamp for the user, and every one of their sessions ended with the old one.</summary>
    public async Task RenewStampAsync(long userId, DateTime now)
    {
        var stamp = Guid.NewGuid().ToString("N");
        await using var db = ControlPanelDb.Open(dataDirectory);
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.SecurityStamp, stamp));
        await db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now));
        await tx.CommitAsync();
    }
}
