using ControlPanel.Engine.Accounts;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Tests.Support;

namespace ControlPanel.Engine.Tests.Accounts;

/// <summary>Growing, capped delays per name and per address instead of a lockout anyone could trigger.</summary>
public sealed class SignInThrottleTests : IDisposable
{
    static readonly DateTime T0 = new(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc);
    readonly TempDir dir = new();
    readonly SignInThrottle throttle;

    public SignInThrottleTests()
    {
        ControlPanelDb.Migrate(dir.Path);
        throttle = new SignInThrottle(dir.Path);
    }

    public void Dispose() => dir.Dispose();

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(4, 2)]
    [InlineData(6, 8)]
    [InlineData(9, 60)]
    [InlineData(50, 60)]
    public void A_name_waits_longer_after_each_failure_past_the_free_ones_up_to_a_minute(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), SignInThrottle.Delay(failures, SignInThrottle.NameCap));

    [Fact]
    public void An_address_is_capped_at_a_quarter_of_an_hour() =>
        Assert.Equal(TimeSpan.FromMinutes(15), SignInThrottle.Delay(40, SignInThrottle.AddressCap));

    [Fact]
    public async Task Guesses_from_many_addresses_at_the_owners_name_make_the_owner_wait_a_minute_at_most()
    {
        var now = T0;
        for (var i = 0; i < 40; i++)
        {
            now = await throttle.WaitUntilAsync("admin", $"198.51.100.{i}", now) ?? now;
            await throttle.FailedAsync("admin", $"198.51.100.{i}", now);
        }
        var until = await throttle.WaitUntilAsync("Admin ", "192.0.2.7", now);
        Assert.NotNull(until);
        Assert.True(until <= now + SignInThrottle.NameCap, $"the owner waits until {until:O}, more than a minute after {now:O}");
        // Once that minute is over the owner's attempt is let through; a success clears the name.
        Assert.Null(await throttle.WaitUntilAsync("admin", "192.0.2.7", until!.Value));
        await throttle.SucceededAsync("admin", "192.0.2.7");
        Assert.Null(await throttle.WaitUntilAsync("admin", "192.0.2.7", now));
    }

    [Fact]
    public async Task One_address_guessing_many_names_waits_longer_and_longer()
    {
        var now = T0;
        for (var i = 0; i < 12; i++)
        {
            now = await throttle.WaitUntilAsync($"user{i}", "203.0.113.9", now) ?? now;
            await throttle.FailedAsync($"user{i}", "203.0.113.9", now);
        }
        var until = await throttle.WaitUntilAsync("user99", "203.0.113.9", now);
        Assert.Equal(now + SignInThrottle.Delay(12, SignInThrottle.AddressCap), until);
        Assert.Null(await throttle.WaitUntilAsync("user99", "192.0.2.7", now));
    }

    [Fact]
    public async Task Unlock_forgets_a_name_and_a_day_without_failures_forgets_any_key()
    {
        for (var i = 0; i < 6; i++) await throttle.FailedAsync("admin", "198.51.100.1", T0);
        Assert.NotNull(await throttle.WaitUntilAsync("admin", "192.0.2.7", T0));
        Assert.True(await throttle.UnlockAsync("ADMIN"));
        Assert.Null(await throttle.WaitUntilAsync("admin", "192.0.2.7", T0));
        Assert.False(await throttle.UnlockAsync("admin"));
        // The address is still slowed down; a failure a day later starts the count of every key again.
        Assert.NotNull(await throttle.WaitUntilAsync("other", "198.51.100.1", T0));
        await throttle.FailedAsync("other", "192.0.2.8", T0.AddDays(1).AddSeconds(1));
        Assert.Null(await throttle.WaitUntilAsync("x", "198.51.100.1", T0.AddSeconds(1)));
    }
}
