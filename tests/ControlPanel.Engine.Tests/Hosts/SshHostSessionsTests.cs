using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Hosts;

/// <summary>
/// Many commands at once over one control master against Debian's sshd on loopback (MaxSessions 10 by default): past
/// ten, ssh falls back to a connection of its own for the command (a full handshake, slow on a small host, which is
/// why stages ask four at a time), and every command still gets its own answer.
/// </summary>
public class SshHostSessionsTests
{
    [Fact]
    public async Task More_commands_at_once_than_sshd_takes_sessions_all_get_their_answer()
    {
        await using var sshd = await LoopbackSshd.StartAsync();
        using var tmp = new TempDir();
        await using var host = new SshHost(new SshTarget(Environment.UserName, "127.0.0.1", sshd.Port),
            new SshOptions { IdentityFile = sshd.ClientKey, KnownHostsFile = tmp.Sub("known_hosts"), HostKeys = HostKeyPolicy.AcceptNew });
        // The control master first, so every command below is a session on it.
        Assert.Equal("up", (await host.RunAsync(ProcessSpec.Probe("echo", "up"), default)).Stdout.Trim());

        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            host.RunAsync(ProcessSpec.Probe("sh", "-c", $"sleep 0.5; echo {i}") with { OkExitCodes = Enumerable.Range(0, 256).ToArray() }, default)));
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"0 {i}"), answers.Select(a => $"{a.ExitCode} {a.Stdout.Trim()}"));
    }
}
