using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Hosts;

/// <summary>Turns a stored host spec ("local", "ssh://user@host:port") back into a host, so any process can resume a run.</summary>
public interface IHostFactory
{
    IHost Create(string hostSpec);
}

public sealed class HostFactory(SshOptions ssh, bool inContainer = false) : IHostFactory
{
    public IHost Create(string hostSpec) => hostSpec switch
    {
        "local" => inContainer ? new NsenterHost() : new LocalHost(),
        _ when hostSpec.StartsWith("ssh://", StringComparison.Ordinal) => new SshHost(SshTarget.Parse("--host", hostSpec), ssh),
        _ => throw new InputException("--host", hostSpec, "must be \"local\" or ssh://user@host[:port]"),
    };
}
