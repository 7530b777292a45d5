using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Hosts;

/// <summary>The machine the engine runs on.</summary>
public sealed class LocalHost(ProcessRunner? runner = null) : CommandHost(runner ?? ProcessRunner.Default)
{
    public override string Key => "local";
    protected override ProcessSpec Translate(ProcessSpec command) => command;
}
