using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Registry;

/// <summary>Real-world config files under Registry/samples (containerd-1.6-default.toml is `containerd config default` of Debian 12's containerd 1.6.20).</summary>
static class Samples
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(RepoPaths.Root, "tests/ControlPanel.Engine.Tests/Registry/samples", name));
}
