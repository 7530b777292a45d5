using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Logging;

/// <summary>Where a stage writes: notes of its own and the output of the commands it runs.</summary>
public interface IStageLog
{
    void Info(string message);
    void Warn(string message);
    void Output(OutputLine line);
    /// <summary>A sign of life between the stage's own lines; a log that keeps no such kind takes it as a note.</summary>
    void Progress(string message) => Info(message);
}
