using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Processes;

/// <summary>A command exited with a code it should not have; carries the last lines of stderr so the error says why.</summary>
public class CommandFailedException : Exception, IUserFacingException
{
    public CommandFailedException(IReadOnlyList<string> argv, int exitCode, IReadOnlyList<string> stderrTail)
        : this(argv, exitCode, stderrTail, Describe(argv, exitCode, stderrTail)) { }

    CommandFailedException(IReadOnlyList<string> argv, int exitCode, IReadOnlyList<string> stderrTail, UserMessage message)
        : base(message.Text)
    {
        UserMessage = message;
        Argv = argv;
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public IReadOnlyList<string> Argv { get; }
    public int ExitCode { get; }
    public IReadOnlyList<string> StderrTail { get; }
    /// <summary>The message with its key; the command and its output stay verbatim in every language.</summary>
    public UserMessage UserMessage { get; }

    static readonly MessageTemplate Failed = new("command.failed", "`{command}` exited with code {code}");
    static readonly MessageTemplate FailedWithOutput = new("command.failed-output", "`{command}` exited with code {code}:\n{output}");

    static UserMessage Describe(IReadOnlyList<string> argv, int exitCode, IReadOnlyList<string> tail) => tail.Count == 0
        ? Failed.With(("command", ArgvFormat.Display(argv)), ("code", exitCode))
        : FailedWithOutput.With(("command", ArgvFormat.Display(argv)), ("code", exitCode), ("output", string.Join('\n', tail)));
}

/// <summary>A command ran past its timeout and was killed with its whole process tree.</summary>
public sealed class CommandTimeoutException(IReadOnlyList<string> argv, TimeSpan timeout) : TimeoutException(Describe(argv, timeout).Text), IUserFacingException
{
    public IReadOnlyList<string> Argv { get; } = argv;
    public UserMessage UserMessage { get; } = Describe(argv, timeout);

    static readonly MessageTemplate TimedOut = new("command.timed-out", "`{command}` did not finish within {seconds} s and was killed");

    static UserMessage Describe(IReadOnlyList<string> argv, TimeSpan timeout) =>
        TimedOut.With(("command", ArgvFormat.Display(argv)), ("seconds", timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)));
}
