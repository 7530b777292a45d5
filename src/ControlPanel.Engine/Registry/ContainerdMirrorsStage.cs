using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.HostConfig.Toml;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Registry;

/// <summary>
/// Registry mirrors for containerd. 1.5 and later: the registry's hosts.toml under config_path (set in config.toml
/// to /etc/containerd/certs.d unless it points somewhere already; containerd 2 needs no config.toml for it).
/// Older releases: the endpoint list in config.toml's mirrors table. config.toml is edited in place, the rest of
/// it kept byte for byte, and containerd restarts only when config.toml changed (hosts.toml is read at each pull).
/// Reset puts back what was there before.
/// </summary>
public sealed class ContainerdMirrorsStage(MirrorRequest request) : ConfigEditStage
{
    public override string Name => "containerd-mirrors";
    public override string Title => request.IsReset
        ? $"Reset containerd's mirrors of {request.Registry ?? "every registry"}"
        : $"containerd pulls {request.Registry} through {string.Join(", ", request.Mirrors)}";
    static readonly MessageTemplate NoneToReset = new("mirrors.containerd-none-to-reset", "no containerd mirrors of ours to reset");
    static readonly MessageTemplate AsAsked = new("mirrors.containerd-as-asked", "containerd's mirrors are as asked");
    static readonly MessageTemplate LegacyTogether = new("mirrors.containerd-legacy-together",
        "{file} lists mirrors in [{table}.mirrors] for {registries}: containerd {version} refuses those together with config_path; " +
        "move them to hosts.toml (controlpanel mirrors set --registry NAME --mirror URL) and remove that table first. Nothing was changed.");
    static readonly MessageTemplate NotInstalled = new("mirrors.containerd-not-installed",
        "containerd is not installed here (`containerd --version` gave no version): install the stack first, or use --runtime docker");
    protected override UserMessage DoneReason => (request.IsReset ? NoneToReset : AsAsked).Message();

    protected override async Task<IReadOnlyList<ConfigEdit>> PlanAsync(StageContext context)
    {
        var file = ContainerdConfig.File;
        var text = await context.ReadFileAsync(file.Path);
        var config = text is null ? null : file.Guard(() => TomlDocument.Parse(text));
        var original = await ConfigBackup.ReadAsync(context, file.Path);
        var hostsDir = (config is null ? null : ContainerdConfig.HostsDir(config)) ?? ContainerdConfig.DefaultHostsDir;
        var edits = request.IsReset
            ? await ResetAsync(context, text, config, original, hostsDir)
            : await SetAsync(context, text, config, original);
        return edits.OfType<ConfigEdit>().ToList();
    }

    async Task<List<ConfigEdit?>> SetAsync(StageContext context, string? text, TomlDocument? config, Original original)
    {
        var registry = request.Registry!;
        var version = await VersionAsync(context);
        if (!version.ReadsHostsDir)
        {
            context.Log.Info($"containerd {version} reads mirrors from {ContainerdConfig.File.Path} only (hosts.toml needs 1.5+)");
            return [ConfigPlanner.Set(ContainerdConfig.File, text, original, [(ContainerdConfig.LegacyMirror(registry), TomlValue.StringArray(request.Mirrors))])];
        }

        var edits = new List<ConfigEdit?>();
        if (config is not null && ContainerdConfig.LegacyMirrors(config) is { Count: > 0 } legacy)
            throw new StageFailedException(LegacyTogether.With(("file", ContainerdConfig.File.Path),
                ("table", TomlKey.Format(ContainerdConfig.RegistryTable(config))), ("registries", string.Join(", ", legacy.Keys)), ("version", version)));
        var hostsDir = config is null ? null : ContainerdConfig.HostsDir(config);
        if (hostsDir is null && !version.HostsDirByDefault)
            edits.Add(ConfigPlanner.Set(ContainerdConfig.File, text, original, [(ContainerdConfig.ConfigPath, TomlValue.Quote(ContainerdConfig.DefaultHostsDir))]));
        var hosts = ContainerdConfig.HostsFile(hostsDir ?? ContainerdConfig.DefaultHostsDir, registry);
        edits.Add(ConfigPlanner.Set(hosts, await context.ReadFileAsync(hosts.Path), await ConfigBackup.ReadAsync(context, hosts.Path),
            [(ConfigSlot.WholeFile("hosts.toml"), ContainerdConfig.HostsToml(registry, request.Mirrors))]));
        return edits;
    }

    async Task<List<ConfigEdit?>> ResetAsync(StageContext context, string? text, TomlDocument? config, Original original, string hostsDir)
    {
        var edits = new List<ConfigEdit?>();
        var registries = request.Registry is { } one ? [one] : await RegistriesWithBackupsAsync(context, hostsDir);
        foreach (var registry in registries)
        {
            var hosts = ContainerdConfig.HostsFile(hostsDir, registry);
            edits.Add(ConfigPlanner.Reset(hosts, await context.ReadFileAsync(hosts.Path), await ConfigBackup.ReadAsync(context, hosts.Path), [ConfigSlot.WholeFile("hosts.toml")]));
        }

        var legacy = new HashSet<string>(StringComparer.Ordinal);
        if (request.Registry is { } only) legacy.Add(only);
        else
        {
            if (config is not null) legacy.UnionWith(ContainerdConfig.LegacyMirrors(config).Keys);
            if (original is Original.Existed existed)
                legacy.UnionWith(ContainerdConfig.File.Guard(() => ContainerdConfig.LegacyMirrors(TomlDocument.Parse(existed.Content)).Keys));
        }
        var slots = legacy.Order(StringComparer.Ordinal).Select(ContainerdConfig.LegacyMirror).ToList();
        if (request.Registry is null) slots.Add(ContainerdConfig.ConfigPath);
        edits.Add(ConfigPlanner.Reset(ContainerdConfig.File, text, original, slots));
        return edits;
    }

    /// <summary>Registries whose hosts.toml we wrote: the ones with our backup or created marker beside it.</summary>
    static async Task<List<string>> RegistriesWithBackupsAsync(StageContext context, string hostsDir)
    {
        var r = await context.ProbeAsync("find", hostsDir, "-mindepth", "2", "-maxdepth", "2", "(",
            "-name", "hosts.toml" + ConfigBackup.BackupSuffix, "-o", "-name", "hosts.toml" + ConfigBackup.CreatedSuffix, ")");
        if (r.ExitCode != 0) return [];
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => Path.GetFileName(Path.GetDirectoryName(p)!)).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public static async Task<ContainerdVersion?> FindVersionAsync(StageContext context)
    {
        var r = await context.ProbeAsync("containerd", "--version");
        return r.ExitCode == 0 ? ContainerdVersion.Parse(r.Stdout) : null;
    }

    static async Task<ContainerdVersion> VersionAsync(StageContext context) =>
        await FindVersionAsync(context) ?? throw new StageFailedException(NotInstalled.Message());

    protected override async Task AfterChangeAsync(StageContext context, IReadOnlyList<string> changed)
    {
        if (!changed.Contains(ContainerdConfig.File.Path))
        {
            context.Log.Info("only hosts.toml changed: containerd reads it at the next pull, no restart needed");
            return;
        }
        await Systemd.ApplyConfigurationAsync(context, "containerd");
    }
}
