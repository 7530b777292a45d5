namespace ControlPanel.Engine.Processes;

public sealed record ProcessResult(int ExitCode, string Stdout, IReadOnlyList<string> StderrTail, TimeSpan Duration);
