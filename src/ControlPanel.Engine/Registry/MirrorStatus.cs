using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.HostConfig.Toml;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Registry;

/// <summary>containerd's mirrors as the host's files say: where it reads them and, per registry, the mirrors in order.</summary>
public sealed record ContainerdMirrors(string? Version, string Source, IReadOnlyDictionary<string, IReadOnlyList<string>> Registries);

/// <summary>Docker's registry-mirrors (Docker Hub only) and whether we keep the original daemon.json beside it.</summary>
public sealed record DockerMirrors(bool FileExists, IReadOnlyList<string> Mirrors, bool OriginalKept);

/// <summary>The mirror settings of a host, read from its files (the truth, not what we remember asking for); unreadable files are listed as problems.</summary>
public sealed record MirrorStatus(ContainerdMirrors Containerd, DockerMirrors Docker, IReadOnlyList<string> Problems)
{
    public static async Task<MirrorStatus> ReadAsync(StageContext context)
    {
        var problems = new List<string>();
        return new MirrorStatus(await ContainerdAsync(context, problems), await DockerAsync(context, problems), problems);
    }

    static async Task<ContainerdMirrors> ContainerdAsync(StageContext context, List<string> problems)
    {
        var version = await ContainerdMirrorsStage.FindVersionAsync(context);
        var text = await context.ReadFileAsync(ContainerdConfig.File.Path);
        TomlDocument? config = null;
        if (text is not null) config = Try(problems, ContainerdConfig.File.Path, () => TomlDocument.Parse(text));
        var registries = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (config is not null)
            foreach (var (registry, endpoints) in ContainerdConfig.LegacyMirrors(config)) registries[registry] = endpoints;
        if (version is { ReadsHostsDir: false })
            return new ContainerdMirrors(version.ToString(), ContainerdConfig.File.Path, registries);

        if (registries.Count > 0) problems.Add($"{ContainerdConfig.File.Path} has an old-style mirrors table, which containerd 1.5+ refuses beside config_path");
        var hostsDir = (config is null ? null : ContainerdConfig.HostsDir(config)) ?? ContainerdConfig.DefaultHostsDir;
        var found = await context.ProbeAsync("find", hostsDir, "-mindepth", "2", "-maxdepth", "2", "-name", "hosts.toml");
        foreach (var path in found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
            if (await context.ReadFileAsync(path) is { } hosts && Try(problems, path, () => ContainerdConfig.HostsTomlMirrors(hosts)) is { } mirrors)
                registries[Path.GetFileName(Path.GetDirectoryName(path)!)] = mirrors;
        return new ContainerdMirrors(version?.ToString(), hostsDir, registries);
    }

    static async Task<DockerMirrors> DockerAsync(StageContext context, List<string> problems)
    {
        var path = DockerDaemonConfig.File.Path;
        var text = await context.ReadFileAsync(path);
        var mirrors = Try(problems, path, () => DockerDaemonConfig.Read(text)) ?? [];
        return new DockerMirrors(text is not null, mirrors, await ConfigBackup.ReadAsync(context, path) is not Original.Untouched);
    }

    static T? Try<T>(List<string> problems, string path, Func<T> read) where T : class
    {
        try { return read(); }
        catch (ConfigSyntaxException e)
        {
            problems.Add($"{path} is not valid ({e.Message})");
            return null;
        }
    }
}
