using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Nginx;

/// <summary>nginx refused a configuration; the previous one is back in place. Carries nginx's own error with file and line.</summary>
public sealed class NginxConfigRejectedException(string message, NginxError? error) : StageFailedException(message)
{
    public NginxError? Error { get; } = error;
}
