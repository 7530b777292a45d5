using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Registry;

/// <summary>Which container runtime's configuration a mirror setting goes to.</summary>
[Flags]
public enum MirrorRuntime { Containerd = 1, Docker = 2, Both = Containerd | Docker }

public static class MirrorRuntimes
{
    public static MirrorRuntime Parse(string field, string? value) =>
        Inputs.RequireOneOf(field, string.IsNullOrWhiteSpace(value) ? "containerd" : value, "containerd", "docker", "both") switch
        {
            "docker" => MirrorRuntime.Docker,
            "both" => MirrorRuntime.Both,
            _ => MirrorRuntime.Containerd,
        };

    public static string Name(MirrorRuntime runtime) => runtime switch
    {
        MirrorRuntime.Docker => "docker",
        MirrorRuntime.Both => "both",
        _ => "containerd",
    };
}
