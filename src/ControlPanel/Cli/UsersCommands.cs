using System.CommandLine;
using System.Text.Json;
using ControlPanel.Composition;
using ControlPanel.Web.Auth;

namespace ControlPanel.Cli;

/// <summary>
/// `users`: the panel's accounts from the host's shell. Root on the host is the recovery path when the panel's own
/// sign-in cannot help (a forgotten password, a name slowed down by someone's guessing).
/// </summary>
public static class UsersCommands
{
    static readonly Argument<string> Name = new("NAME") { Description = "The panel user's name" };

    public static Command Create() => new("users", "The panel's accounts: list, unlock, reset a password")
    {
        List(), Unlock(), ResetPassword(),
    };

    static AccountService Accounts(ParseResult parse) => new(EngineSetup.Prepare(CommonOptions.DataDirectory(parse)));

    static Command List()
    {
        var command = new Command("list", "List the panel's users") { CommonOptions.Json };
        command.SetAction(async (parse, ct) =>
        {
            var users = await Accounts(parse).ListAsync();
            if (parse.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(users.Select(u => new { name = u.UserName, createdAt = u.CreatedAt, lastSignInAt = u.LastLoginAt, twoFactor = u.TotpSecret is not null }), JsonOut.Options));
                return ExitCodes.Success;
            }
            Console.WriteLine($"{"NAME",-20} {"CREATED (UTC)",-20} {"LAST SIGN-IN (UTC)",-20} TWO-FACTOR");
            foreach (var u in users)
                Console.WriteLine($"{u.UserName,-20} {u.CreatedAt,-20:yyyy-MM-dd HH:mm:ss} {(u.LastLoginAt is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss") : "never"),-20} {(u.TotpSecret is null ? "off" : "on")}");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Unlock()
    {
        var command = new Command("unlock", "Forget the failed sign-ins counted against a user, so the next attempt need not wait") { Name };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(Name)!;
            Console.WriteLine(await Accounts(parse).UnlockAsync(name)
                ? $"{name}: the failed sign-ins are forgotten; the next attempt need not wait"
                : $"{name}: no failed sign-ins were counted");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command ResetPassword()
    {
        var file = new Option<string>("--password-file") { Description = "File holding the new password (at least 12 characters; never on the command line)", Required = true };
        var command = new Command("reset-password", "Set a user's password; every session of theirs ends") { Name, file };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(Name)!;
            await Accounts(parse).ResetPasswordAsync(name, CommonOptions.ReadSecretFile("--password-file", parse.GetValue(file)!));
            Console.WriteLine($"{name}: password changed; every session of {name} has ended");
            return ExitCodes.Success;
        });
        return command;
    }
}
