using ControlPanel.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Accounts;

/// <summary>
/// The panel's accounts as stored: the faces check passwords and codes (the web app with ASP.NET's hasher) and keep
/// the result here. The first account can only be added while there is none.
/// </summary>
public sealed class AccountStore(string dataDirectory)
{
    public async Task<bool> AnyAsync()
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Users.AnyAsync();
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

    /// <summary>Stores what a sign-in attempt changed: failures, lockout, last sign-in.</summary>
    public async Task SaveSignInAsync(UserRecord user)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(u => u
            .SetProperty(x => x.FailedLogins, user.FailedLogins)
            .SetProperty(x => x.LockedUntil, user.LockedUntil)
            .SetProperty(x => x.LastLoginAt, user.LastLoginAt));
    }

    public async Task SetTotpSecretAsync(string userName, string? secret)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        await db.Users.Where(u => u.UserName == userName).ExecuteUpdateAsync(u => u.SetProperty(x => x.TotpSecret, secret));
    }

    /// <summary>Whether a session made for this account and security stamp still stands.</summary>
    public async Task<bool> IsCurrentAsync(long userId, string? securityStamp)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Users.AnyAsync(u => u.Id == userId && u.SecurityStamp == securityStamp);
    }
}
