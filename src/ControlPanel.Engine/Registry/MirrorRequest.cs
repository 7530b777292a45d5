using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Registry;

/// <summary>
/// What `mirrors set` and `mirrors reset` ask for, validated at the edge: a registry (reset: null means every
/// registry we set), its mirrors in order, and the runtimes whose configuration changes.
/// </summary>
public sealed record MirrorRequest(string? Registry, IReadOnlyList<string> Mirrors, MirrorRuntime Runtime) : PlanRequest
{
    static readonly MessageTemplate MirrorRequired = new("input.mirror-required", "is required: at least one mirror URL (http:// or https://)");
    static readonly MessageTemplate DockerIoOnly = new("input.mirror-docker-io-only", "cannot be mirrored by Docker: daemon.json's registry-mirrors only applies to docker.io; use --runtime containerd for other registries");

    public const string SetKind = "mirrors-set";
    public const string ResetKind = "mirrors-reset";

    public bool IsReset => Mirrors.Count == 0;

    public override string PlanKind => IsReset ? ResetKind : SetKind;

    public static MirrorRequest ParseSet(string? registry, IEnumerable<string>? mirrors, string? runtime)
    {
        var errors = new InputErrors();
        var name = errors.Check(() => RegistryInputs.RequireRegistry("registry", registry));
        var list = errors.Check(() => (mirrors ?? []).Select(m => RegistryInputs.RequireMirror("mirror", m)).Distinct().ToList() is { Count: > 0 } l
            ? l : throw new InputException("mirror", null, MirrorRequired.Message()));
        var parsed = errors.Check(() => MirrorRuntimes.Parse("runtime", runtime));
        errors.ThrowIfAny();
        RequireDockerHubForDocker(name!, parsed);
        return new MirrorRequest(name!, list!, parsed);
    }

    public static MirrorRequest ParseReset(string? registry, string? runtime)
    {
        var name = string.IsNullOrWhiteSpace(registry) ? null : RegistryInputs.RequireRegistry("registry", registry);
        var parsed = MirrorRuntimes.Parse("runtime", string.IsNullOrWhiteSpace(runtime) ? "both" : runtime);
        if (name is not null) RequireDockerHubForDocker(name, parsed);
        return new MirrorRequest(name, [], parsed);
    }

    /// <summary>Docker's daemon.json has mirrors for Docker Hub only; other registries need containerd's hosts.toml.</summary>
    static void RequireDockerHubForDocker(string registry, MirrorRuntime runtime)
    {
        if (runtime.HasFlag(MirrorRuntime.Docker) && registry != RegistryInputs.DockerHub)
            throw new InputException("registry", registry,
                DockerIoOnly.Message());
    }

    public override StoredRequest Store() => new(PlanKind,
        new Dictionary<string, string>
        {
            ["registry"] = Registry ?? "",
            ["mirrors"] = string.Join('\n', Mirrors),
            ["runtime"] = MirrorRuntimes.Name(Runtime),
        },
        new Dictionary<string, string>());

    public static MirrorRequest From(StoredRequest r)
    {
        var registry = r.Input("registry");
        var mirrors = (r.Input("mirrors") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return r.Kind == ResetKind ? ParseReset(registry, r.Input("runtime")) : ParseSet(registry, mirrors, r.Input("runtime"));
    }
}
