using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Model;

/// <summary>
/// The registry mirrors' set and reset forms. Validation is the engine's own (<see cref="MirrorRequest.ParseSet"/>,
/// <see cref="MirrorRequest.ParseReset"/>, as `mirrors set|reset`), its field names (CLI flags) mapped back to the form's.
/// </summary>
public sealed class MirrorForm
{
    public static readonly string[] Runtimes = ["containerd", "docker", "both"];

    public string Registry { get; set; } = RegistryInputs.DockerHub;
    /// <summary>One mirror URL a line, tried in order.</summary>
    public string Mirrors { get; set; } = "";
    public string Runtime { get; set; } = "containerd";
    public string ResetRegistry { get; set; } = "";
    public string ResetRuntime { get; set; } = "both";

    public static string SetFieldOf(string engineField) => engineField switch
    {
        "mirror" => nameof(Mirrors),
        "runtime" => nameof(Runtime),
        _ => nameof(Registry),
    };

    public static string ResetFieldOf(string engineField) => engineField == "runtime" ? nameof(ResetRuntime) : nameof(ResetRegistry);

    public (PlanRequest? Request, FieldErrors Errors) ValidateSet()
    {
        var mirrors = Mirrors.Split(['\n', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try { return (MirrorRequest.ParseSet(Registry, mirrors, Runtime), FieldErrors.None); }
        catch (InputException e) { return (null, FieldErrors.Of(e, SetFieldOf)); }
    }

    public (PlanRequest? Request, FieldErrors Errors) ValidateReset()
    {
        try { return (MirrorRequest.ParseReset(ResetRegistry, ResetRuntime), FieldErrors.None); }
        catch (InputException e) { return (null, FieldErrors.Of(e, ResetFieldOf)); }
    }

    public string SetFingerprint(string hostSpec) => string.Join('\u001f', "set", hostSpec, Registry, Mirrors, Runtime);
    public string ResetFingerprint(string hostSpec) => string.Join('\u001f', "reset", hostSpec, ResetRegistry, ResetRuntime);
}
