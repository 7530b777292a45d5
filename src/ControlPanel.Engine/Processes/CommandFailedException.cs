namespace ControlPanel.Engine.Processes;

/// <summary>A command exited with a code it should not have; carries the last lines of stderr so the error says why.</summary>
public class CommandFailedException : Exception
{
    public CommandFailedException(IReadOnlyList<string> argv, int exitCode, IReadOnlyList<string> stderrTail)
        : base(Describe(argv, exitCode, stderrTail))
    {
        Argv = argv;
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    public IReadOnlyList<string> Argv { get; }
    public int ExitCode { get; }
    public IReadOnlyList<string> StderrTail { get; }

    static string Describe(IReadOnlyList<string> argv, int exitCode, IReadOnlyList<string> tail)
    {
        var head = $"`{ArgvFormat.Display(argv)}` exited with code {exitCode}";
        return tail.Count == 0 ? head : head + ":\n" + string.Join('\n', tail);
    }
}

/// <summary>A command ran past its timeout and was killed with its whole process tree.</summary>
public sealed class CommandTimeoutException(IReadOnlyList<string> argv, TimeSpan timeout)
    : TimeoutException($"`{ArgvFormat.Display(argv)}` did not finish within {timeout.TotalSeconds:0.#} s and was killed")
{
    public IReadOnlyList<string> Argv { get; } = argv;
}
