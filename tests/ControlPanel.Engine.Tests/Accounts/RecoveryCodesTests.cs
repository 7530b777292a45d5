using ControlPanel.Engine.Accounts;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Tests.Support;

namespace ControlPanel.Engine.Tests.Accounts;

/// <summary>Recovery codes: random, stored as hashes only, each good for one sign-in, all gone with two-factor sign-in.</summary>
public sealed class RecoveryCodesTests : IDisposable
{
    readonly TempDir dir = new();
    readonly AccountStore store;
    readonly long userId;

    public RecoveryCodesTests()
    {
        ControlPanelDb.Migrate(dir.Path);
        store = new AccountStore(dir.Path);
        var user = new UserRecord { UserName = "admin", PasswordHash = "x", SecurityStamp = "s", CreatedAt = DateTime.UtcNow };
        Assert.True(store.AddFirstAsync(user).GetAwaiter().GetResult());
        userId = store.FindAsync("admin").GetAwaiter().GetResult()!.Id;
    }

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Codes_are_ten_distinct_random_ones_typed_in_any_case_with_or_without_the_dash()
    {
        var codes = RecoveryCodes.New();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$", c));
        Assert.NotEqual(codes, RecoveryCodes.New());
        Assert.Equal(RecoveryCodes.Hash(codes[0]), RecoveryCodes.Hash(codes[0].Replace("-", "").ToUpperInvariant()));
        Assert.True(RecoveryCodes.CouldBe(codes[0]));
        Assert.False(RecoveryCodes.CouldBe("123456"));
        Assert.False(RecoveryCodes.CouldBe("1234567890"));
        Assert.False(RecoveryCodes.CouldBe(null));
    }

    [Fact]
    public async Task Each_code_works_once_the_others_stay_and_turning_two_factor_off_drops_them()
    {
        var codes = RecoveryCodes.New();
        await store.SetTotpSecretAsync(userId, "SECRET", RecoveryCodes.Store(codes));
        var stored = (await store.FindAsync("admin"))!.RecoveryCodes!;
        Assert.All(codes, c => Assert.DoesNotContain(c, stored));

        Assert.True(await store.UseRecoveryCodeAsync(userId, RecoveryCodes.Hash(codes[2])));
        Assert.False(await store.UseRecoveryCodeAsync(userId, RecoveryCodes.Hash(codes[2])));
        Assert.False(await store.UseRecoveryCodeAsync(userId, RecoveryCodes.Hash("aaaaa-bbbbb")));
        Assert.Equal(9, await store.RecoveryCodesLeftAsync(userId));

        // Two sign-ins racing with one code: one gets in.
        var race = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.UseRecoveryCodeAsync(userId, RecoveryCodes.Hash(codes[5]))));
        Assert.Single(race, ok => ok);
        Assert.Equal(8, await store.RecoveryCodesLeftAsync(userId));

        var fresh = RecoveryCodes.New();
        Assert.True(await store.SetRecoveryCodesAsync(userId, RecoveryCodes.Store(fresh)));
        Assert.False(await store.UseRecoveryCodeAsync(userId, RecoveryCodes.Hash(codes[0])));
        Assert.True(await store.UseRecoveryCodeAsync(userId, RecoveryCodes.Hash(fresh[0])));

        await store.SetTotpSecretAsync(userId, null, null);
        Assert.Equal(0, await store.RecoveryCodesLeftAsync(userId));
        Assert.False(await store.UseRecoveryCodeAsync(userId, RecoveryCodes.Hash(fresh[1])));
        Assert.False(await store.SetRecoveryCodesAsync(userId, RecoveryCodes.Store(fresh)));
    }
}
