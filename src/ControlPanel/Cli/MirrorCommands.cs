using System.CommandLine;
using System.Text.Json;
using ControlPanel.Composition;
using ControlPanel.Engine.Registry;

namespace ControlPanel.Cli;

/// <summary>
/// `mirrors set | show | reset`: registry mirrors for containerd (hosts.toml, or config.toml before 1.5) and Docker
/// (daemon.json, Docker Hub only), merged into what the host has, the original kept, reset puts it back.
/// </summary>
public static class MirrorCommands
{
    static readonly Option<string?> Runtime = new("--runtime") { Description = "containerd (default for set), docker or both (default for reset)" };

    public static Command Create() => new("mirrors", "Registry mirrors of containerd and Docker on a host") { Set(), Show(), Reset() };

    static Command Set()
    {
        var registry = new Option<string?>("--registry") { Description = "Registry to mirror: docker.io, ghcr.io, registry.k8s.io, host:port" };
        var mirror = new Option<string[]>("--mirror") { Description = "Mirror URL (http:// or https://); repeat for more, tried in order", AllowMultipleArgumentsPerToken = false };
        var command = new Command("set", "Pull a registry's images through mirrors (a pull-through cache, a regional mirror)")
        {
            registry, mirror, Runtime,
        };
        command.With().SetAction((parse, ct) =>
            PlanRunner.ExecuteAsync(parse, MirrorRequest.ParseSet(parse.GetValue(registry), parse.GetValue(mirror), parse.GetValue(Runtime)), ct));
        return command;
    }

    static Command Reset()
    {
        var registry = new Option<string?>("--registry") { Description = "Only this registry's mirrors (default: every one we set)" };
        var command = new Command("reset", "Put back the mirror settings the host had before `mirrors set`") { registry, Runtime };
        command.With().SetAction((parse, ct) =>
            PlanRunner.ExecuteAsync(parse, MirrorRequest.ParseReset(parse.GetValue(registry), parse.GetValue(Runtime)), ct));
        return command;
    }

    static Command Show()
    {
        var command = new Command("show", "Print the mirrors the host's containerd and Docker use, read from their files") { PlanOptions.Host, CommonOptions.Json };
        command.SetAction(async (parse, ct) =>
        {
            var data = CommonOptions.DataDirectory(parse);
            await using var host = EngineSetup.Hosts(data).Create(parse.GetValue(PlanOptions.Host) ?? "local");
            var status = await MirrorSettings.ReadAsync(host, data, ct);
            if (parse.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(status, JsonOut.Options));
                return ExitCodes.Success;
            }
            var c = status.Containerd;
            Console.WriteLine(c.Version is null ? $"containerd: not installed (mirrors in {c.Source})" : $"containerd {c.Version}: mirrors in {c.Source}");
            Print(c.Registries);
            var d = status.Docker;
            Console.WriteLine($"docker: {DockerDaemonConfig.File.Path}" + (d.FileExists ? "" : " (missing)") + (d.OriginalKept ? " (original kept for reset)" : ""));
            Print(d.Mirrors.Count == 0 ? new Dictionary<string, IReadOnlyList<string>>() : new() { [RegistryInputs.DockerHub] = d.Mirrors });
            foreach (var p in status.Problems) Console.WriteLine("problem: " + p);
            return ExitCodes.Success;
        });
        return command;
    }

    static void Print(IReadOnlyDictionary<string, IReadOnlyList<string>> registries)
    {
        if (registries.Count == 0) Console.WriteLine("  (no mirrors)");
        foreach (var (registry, mirrors) in registries) Console.WriteLine($"  {registry,-20} -> {string.Join(", ", mirrors)}");
    }
}
