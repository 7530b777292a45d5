namespace ControlPanel.Engine.Processes;

/// <summary>Which stream a line of output came from.</summary>
public enum OutputStream { Out, Err }

/// <summary>One line of a child process's output, as it is printed.</summary>
public readonly record struct OutputLine(OutputStream Stream, string Text);

/// <summary>
/// A command to run: always an argv array, never a shell string, so user input can never be re-parsed
/// by a shell.
/// </summary>
public sealed record ProcessSpec
{
    readonly IReadOnlyList<string> argv = [];

    public ProcessSpec(IReadOnlyList<string> argv) => Argv = argv;

    public IReadOnlyList<string> Argv
    {
        get => argv;
        init => argv = value.Count > 0 && !string.IsNullOrEmpty(value[0]) && value.All(a => !a.Contains('\0'))
            ? value
            : throw new ArgumentException("argv must name a program and hold no NUL characters", nameof(Argv));
    }
    public byte[]? Stdin { get; init; }
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public string? WorkingDirectory { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>Exit codes that count as success; a failure throws <see cref="CommandFailedException"/>.</summary>
    public IReadOnlyCollection<int> OkExitCodes { get; init; } = [0];
    /// <summary>Keep the whole stdout in the result (for commands whose output is parsed).</summary>
    public bool CaptureStdout { get; init; }
    /// <summary>The command only reads the host (a probe): a dry run still executes it, because checks need the truth.</summary>
    public bool ReadOnly { get; init; }
    /// <summary>Called for every line as it arrives (the stage log, a live view).</summary>
    public Action<OutputLine>? OnLine { get; init; }

    public static ProcessSpec Of(params string[] argv) => new(argv);
    public static ProcessSpec Probe(params string[] argv) => new(argv) { ReadOnly = true, CaptureStdout = true };
}
