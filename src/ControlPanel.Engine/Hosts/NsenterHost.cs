using ControlPanel.Engine.Processes;

namespace ControlPanel.Engine.Hosts;

/// <summary>
/// The host of the container the panel runs in (docker run --privileged --pid=host): every command
/// enters the namespaces of the host's PID 1, so it sees the host's files, units, links and processes.
/// </summary>
public sealed class NsenterHost(ProcessRunner? runner = null) : CommandHost(runner ?? ProcessRunner.Default)
{
    public override string Key => "local";

    protected override ProcessSpec Translate(ProcessSpec command) =>
        Wrap(["nsenter", "--target", "1", "--mount", "--uts", "--ipc", "--net", "--pid", "--"], command);

    /// <summary>Puts a command behind a prefix; env and working directory travel as `env -C DIR K=V` on the far side.</summary>
    internal static ProcessSpec Wrap(IReadOnlyList<string> prefix, ProcessSpec command)
    {
        var inner = new List<string>();
        if (command.WorkingDirectory is not null || command.Environment is { Count: > 0 })
        {
            inner.Add("env");
            if (command.WorkingDirectory is not null) inner.AddRange(["-C", command.WorkingDirectory]);
            foreach (var (k, v) in command.Environment ?? new Dictionary<string, string>()) inner.Add($"{k}={v}");
        }
        inner.AddRange(command.Argv);
        return command with { Argv = [.. prefix, .. inner], WorkingDirectory = null, Environment = null };
    }
}
