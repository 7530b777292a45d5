using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>A stage log kept in memory so tests can read what a stage said.</summary>
public sealed class ListLog : IStageLog
{
    public List<string> Infos { get; } = new();
    public List<string> Warnings { get; } = new();
    public void Info(string message) { lock (Infos) Infos.Add(message); }
    public void Warn(string message) { lock (Warnings) Warnings.Add(message); }
    public void Output(OutputLine line) { lock (Infos) Infos.Add(line.Text); }
}
