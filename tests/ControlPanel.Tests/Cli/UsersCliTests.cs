using System.Text.Json;
using ControlPanel.Web.Auth;
using Microsoft.AspNetCore.Http;

namespace ControlPanel.Tests.Cli;

/// <summary>`controlpanel users`: root on the host recovers an account the panel's own sign-in cannot.</summary>
public sealed class UsersCliTests : IDisposable
{
    const string Password = "correct horse battery";
    readonly string data = Path.Combine(Path.GetTempPath(), "cp-users-" + Guid.NewGuid().ToString("N")[..10]);
    readonly AccountService accounts;

    public UsersCliTests()
    {
        Directory.CreateDirectory(data);
        accounts = new AccountService(data);
    }

    public void Dispose() { try { Directory.Delete(data, true); } catch (IOException) { } }

    async Task SetUpAsync()
    {
        var r = await Cli.RunAsync("users", "list", "--data", data);   // the CLI makes the database, as on a fresh host
        Assert.Equal(0, r.ExitCode);
        await accounts.CreateFirstUserAsync("admin", Password, Password);
    }

    [Fact]
    public async Task The_answers_do_not_tell_whether_a_user_exists()
    {
        await SetUpAsync();
        var known = new List<LoginOutcome>();
        var unknown = new List<LoginOutcome>();
        // Three free failures, then the next attempt waits a second: the same for both names.
        for (var i = 0; i < 4; i++)
        {
            known.Add((await accounts.VerifyAsync("admin", "wrong " + i, null, "192.0.2.1")).Outcome);
            unknown.Add((await accounts.VerifyAsync("nobody", "wrong " + i, null, "192.0.2.2")).Outcome);
        }
        Assert.Equal(known, unknown);
        Assert.Contains(LoginOutcome.Throttled, known);
    }

    [Fact]
    public async Task Unlock_lets_the_owner_try_again_at_once()
    {
        await SetUpAsync();
        // Someone's guessing from many addresses: eight failures counted against the name make the next attempt wait 32 s.
        var throttle = new ControlPanel.Engine.Accounts.SignInThrottle(data);
        for (var i = 0; i < 8; i++) await throttle.FailedAsync("admin", "198.51.100." + i, DateTime.UtcNow);
        Assert.Equal(LoginOutcome.Throttled, (await accounts.VerifyAsync("admin", Password, null, "192.0.2.7")).Outcome);

        var r = await Cli.RunAsync("users", "unlock", "admin", "--data", data);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("admin: the failed sign-ins are forgotten", r.Stdout);
        Assert.Equal(LoginOutcome.Ok, (await accounts.VerifyAsync("admin", Password, null, "192.0.2.7")).Outcome);

        var none = await Cli.RunAsync("users", "unlock", "admin", "--data", data);
        Assert.Contains("admin: no failed sign-ins were counted", none.Stdout);
        var unknown = await Cli.RunAsync("users", "unlock", "nobody", "--data", data);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("NAME: \"nobody\" is not a user of this panel", unknown.Stderr);
    }

    [Fact]
    public async Task Reset_password_sets_the_new_one_and_ends_every_session()
    {
        await SetUpAsync();
        var user = (await accounts.FindAsync("admin"))!;
        var session = await accounts.StartSessionAsync(user, new DefaultHttpContext());
        Assert.True(await accounts.IsCurrentAsync(session));

        var file = Path.Combine(data, "new-password");
        File.WriteAllText(file, "short\n");
        var bad = await Cli.RunAsync("users", "reset-password", "admin", "--password-file", file, "--data", data);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--password-file: must be at least 12 characters", bad.Stderr);
        Assert.Equal(LoginOutcome.Ok, (await accounts.VerifyAsync("admin", Password, null, "192.0.2.7")).Outcome);

        File.WriteAllText(file, "a brand new passphrase\n");
        var r = await Cli.RunAsync("users", "reset-password", "admin", "--password-file", file, "--data", data);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("every session of admin has ended", r.Stdout);
        Assert.False(await accounts.IsCurrentAsync(session));
        Assert.Equal(LoginOutcome.WrongCredentials, (await accounts.VerifyAsync("admin", Password, null, "192.0.2.7")).Outcome);
        Assert.Equal(LoginOutcome.Ok, (await accounts.VerifyAsync("admin", "a brand new passphrase", null, "192.0.2.7")).Outcome);

        var list = await Cli.RunAsync("users", "list", "--json", "--data", data);
        var users = JsonDocument.Parse(list.Stdout).RootElement;
        Assert.Equal("admin", users[0].GetProperty("name").GetString());
        Assert.False(users[0].GetProperty("twoFactor").GetBoolean());
    }
}
