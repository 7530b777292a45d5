using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Hosts;

/// <summary>Turns a stored host spec ("local", "ssh://user@host:port") back into a host, so any process can resume a run.</summary>
public interface IHostFactory
{
    IHost Create(string hostSpec);
}

/// <param name="keyFor">The private key the inventory names for a target (null: the default key of <paramref name="ssh"/>).</param>
public sealed class HostFactory(SshOptions ssh, bool inContainer = false, Func<SshTarget, string?>? keyFor = null) : IHostFactory
{
    static readonly MessageTemplate HostSpec = new("input.host-spec", "must be \"local\" or ssh://user@host[:port]");

    public IHost Create(string hostSpec) => hostSpec switch
    {
        "local" => inContainer ? new NsenterHost() : new LocalHost(),
        _ when hostSpec.StartsWith("ssh://", StringComparison.Ordinal) => Ssh(SshTarget.Parse("host", hostSpec)),
        _ => throw new InputException("host", hostSpec, HostSpec.Message()),
    };

    SshHost Ssh(SshTarget target) =>
        new(target, keyFor?.Invoke(target) is { } key ? ssh with { IdentityFile = key } : ssh);
}
