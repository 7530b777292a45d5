using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Tests.Support;

namespace ControlPanel.Engine.Tests.Hosts;

public class DryRunHostTests : IDisposable
{
    readonly TempDir tmp = new();
    public void Dispose() => tmp.Dispose();

    [Fact]
    public async Task Mutating_commands_and_writes_are_recorded_not_done_while_probes_run()
    {
        var marker = tmp.Sub("marker");
        var dry = new DryRunHost(new LocalHost());
        await dry.RunAsync(ProcessSpec.Of("touch", marker), default);
        Assert.False(File.Exists(marker));

        var probe = await dry.RunAsync(ProcessSpec.Probe("echo", "probed"), default);
        Assert.Equal("probed\n", probe.Stdout);

        var file = tmp.Sub("conf");
        await File.WriteAllTextAsync(file, "old\n");
        var change = await dry.WriteFileAsync(new FileSpec(file, "new\n", "0644"), default);
        Assert.Equal("old\n", await File.ReadAllTextAsync(file));
        Assert.Contains("-old", change.Diff);
        Assert.Contains("+new", change.Diff);
        // Later reads in the same dry run see the planned content.
        Assert.Equal("new\n", await dry.ReadFileAsync(file, default));

        var actions = dry.Drain();
        Assert.Equal(2, actions.Count);
        Assert.Equal("touch " + marker, actions[0].Command);
        Assert.Equal(file, actions[1].File!.Path);
        Assert.Empty(dry.Drain());
    }
}
