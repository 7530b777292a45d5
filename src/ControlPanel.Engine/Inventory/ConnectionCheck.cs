using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Inventory;

/// <summary>
/// Whether the engine can work on an inventory host: it signs in the way a run will (key only, the pinned host key,
/// no prompt) and runs one harmless command. <see cref="System"/> is what the host said (uname), or
/// <see cref="Failure"/> says what failed, in ssh's own words.
/// </summary>
public sealed record ConnectionCheck(string? System, UserMessage? Failure)
{
    public bool Ok => Failure is null;

    static readonly MessageTemplate SignInFailed = new("hosts.sign-in-failed", "could not sign in over SSH (key {key}, pinned host key): {reason}");
    static readonly MessageTemplate CommandFailed = new("hosts.command-failed", "signed in, but `uname` failed: {reason}");
    static readonly MessageTemplate NoAnswer = new("hosts.no-answer", "no answer within {seconds} s");

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<ConnectionCheck> RunAsync(IHost host, string keyPath, CancellationToken ct = default)
    {
        try
        {
            var result = await host.RunAsync(new ProcessSpec(["uname", "-snrm"]) { Timeout = Timeout, CaptureStdout = true, ReadOnly = true }, ct);
            return new(result.Stdout.Trim(), null);
        }
        catch (CommandFailedException e)
        {
            var reason = UserMessage.Verbatim(string.Join(' ', e.StderrTail).Trim() is { Length: > 0 } tail ? tail : $"exit code {e.ExitCode}");
            // ssh itself exits 255 when the connection or the sign-in fails; any other code is the command's own.
            return new(null, e.ExitCode == 255
                ? SignInFailed.With(("key", keyPath), ("reason", reason))
                : CommandFailed.With(("reason", reason)));
        }
        catch (CommandTimeoutException)
        {
            return new(null, SignInFailed.With(("key", keyPath), ("reason", NoAnswer.With(("seconds", (int)Timeout.TotalSeconds)))));
        }
    }
}
