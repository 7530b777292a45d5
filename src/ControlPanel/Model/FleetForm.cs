using ControlPanel.Engine.Cache;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Model;

/// <summary>
/// "Run a plan on the selected hosts": which plan with its inputs (the install, mirror and cache forms, validated by the
/// engine as for one host), how many hosts at a time, and the hosts; checked as the CLI checks a batch
/// (<see cref="FleetTargets.RequireLaunchable"/>) before <see cref="FleetRunner"/> starts it.
/// </summary>
public sealed class FleetForm
{
    public static readonly string[] Plans = [InstallRequest.Kind, MirrorRequest.SetKind, CacheRequest.InstallKind, CacheRequest.UninstallKind];

    public string Plan { get; set; } = InstallRequest.Kind;
    public string Parallel { get; set; } = "5";
    /// <summary>Install on several hosts: the faasd password is given (the same on every host), not generated and shown once per run.</summary>
    public InstallForm Install { get; } = new() { GeneratePassword = false };
    public MirrorForm Mirrors { get; } = new();
    public CacheForm Cache { get; } = new();

    /// <summary>What a preview was made for: starting needs a preview of exactly these inputs (the page adds the hosts).</summary>
    public string Fingerprint => string.Join('\u001f', Plan, Parallel, Install.Fingerprint, Mirrors.SetFingerprint(""), Cache.Fingerprint(Plan, ""));

    /// <summary>The request and the limit, or every form field that is wrong and why ("Hosts" for the selection).</summary>
    public (PlanRequest? Request, int Parallel, FieldErrors Errors) Validate(string dataDirectory, IReadOnlyList<FleetTarget> targets)
    {
        var (request, errors) = Plan switch
        {
            MirrorRequest.SetKind => Mirrors.ValidateSet(),
            CacheRequest.InstallKind => Cache.ValidateInstall(),
            CacheRequest.UninstallKind => (Cache.Uninstall(), FieldErrors.None),
            _ => Install.Validate(),
        };
        try
        {
            var parallel = int.TryParse(Parallel.Trim(), out var n) ? n : throw new InputException(nameof(Parallel), Parallel, InputReasons.NotANumber.Message());
            FleetTargets.RequireLaunchable(dataDirectory, targets, parallel);
            return errors.Any ? (null, 0, errors) : (request, parallel, FieldErrors.None);
        }
        catch (InputException e) { return (null, 0, errors.And(FieldErrors.Of(e, f => f is "parallel" or nameof(Parallel) ? nameof(Parallel) : "Hosts"))); }
    }
}
