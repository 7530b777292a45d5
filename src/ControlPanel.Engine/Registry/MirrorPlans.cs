using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Registry;

/// <summary>The plans behind `mirrors set` and `mirrors reset`: one stage per runtime asked for.</summary>
public static class MirrorPlans
{
    public static Plan Create(MirrorRequest request)
    {
        var stages = new List<Stage>();
        if (request.Runtime.HasFlag(MirrorRuntime.Containerd)) stages.Add(new ContainerdMirrorsStage(request));
        if (request.Runtime.HasFlag(MirrorRuntime.Docker)) stages.Add(new DockerMirrorsStage(request));
        return new Plan(request.IsReset ? MirrorRequest.ResetKind : MirrorRequest.SetKind, stages);
    }
}
