using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Logging;

/// <summary>A stage log that keeps nothing: for dry runs (their actions are the preview) and read-only queries.</summary>
public sealed class SilentLog : IStageLog
{
    public static readonly SilentLog Instance = new();
    public void Info(string message) { }
    public void Warn(string message) { }
    public void Output(OutputLine line) { }
}
