using ControlPanel.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Accounts;

/// <summary>
/// Slows password guessing down without letting anyone lock the owner out. Each failed sign-in counts against the
/// user name tried and against the client address; past <see cref="FreeFailures"/> a key's next attempt waits 1 s, then
/// 2 s, 4 s ... up to its cap: a minute for a name (so guesses from many addresses at the owner's name cost the owner
/// at most a minute), a quarter of an hour for an address. A success clears both keys, a day without failures forgets
/// a key, and `controlpanel users unlock NAME` (root on the host) clears a name at once. Kept in the database, so a
/// restart does not reset it and the CLI can clear it under a running panel.
/// </summary>
public sealed class SignInThrottle(string dataDirectory)
{
    public const int FreeFailures = 3;
    public static readonly TimeSpan NameCap = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan AddressCap = TimeSpan.FromMinutes(15);
    static readonly TimeSpan Forget = TimeSpan.FromDays(1);

    static string NameKey(string userName) => "user:" + userName.Trim().ToLowerInvariant();
    static string AddressKey(string? address) => "address:" + (address ?? "-");

    /// <summary>How long the attempt after <paramref name="failures"/> failures waits.</summary>
    public static TimeSpan Delay(int failures, TimeSpan cap) => failures < FreeFailures
        ? TimeSpan.Zero
        : TimeSpan.FromSeconds(Math.Min(cap.TotalSeconds, Math.Pow(2, failures - FreeFailures)));

    /// <summary>Until when an attempt for this name from this address must wait; null when it may be made now.</summary>
    public async Task<DateTime?> WaitUntilAsync(string userName, string? address, DateTime now)
    {
        string[] keys = [NameKey(userName), AddressKey(address)];
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.SignInFailures.Where(f => keys.Contains(f.Key) && f.NotBefore > now).MaxAsync(f => (DateTime?)f.NotBefore);
    }

    public async Task FailedAsync(string userName, string? address, DateTime now)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        await using var tx = await db.Database.BeginTransactionAsync();
        var forgotten = now - Forget;
        await db.SignInFailures.Where(f => f.LastFailureAt < forgotten).ExecuteDeleteAsync();
        foreach (var (key, cap) in new[] { (NameKey(userName), NameCap), (AddressKey(address), AddressCap) })
        {
            var row = await db.SignInFailures.FindAsync(key) ?? db.SignInFailures.Add(new SignInFailureRecord { Key = key }).Entity;
            row.Failures++;
            row.LastFailureAt = now;
            row.NotBefore = now + Delay(row.Failures, cap);
        }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    }

    public Task SucceededAsync(string userName, string? address) => ClearAsync(NameKey(userName), AddressKey(address));

    /// <summary>Forgets the failures counted against a user name; true when there were any.</summary>
    public async Task<bool> UnlockAsync(string userName) => await ClearAsync(NameKey(userName)) > 0;

    async Task<int> ClearAsync(params string[] keys)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.SignInFailures.Where(f => keys.Contains(f.Key)).ExecuteDeleteAsync();
    }
}
