using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Cache;

/// <summary>
/// The pull-through cache of a host as its files and services say (the truth, not what we remember asking for):
/// the package, whether config.yml is ours and what it caches, where it listens and stores, and whether it runs.
/// </summary>
public sealed record RegistryCacheStatus(bool PackageInstalled, bool Running, bool Ours, string? Upstream, string? Listen, string? Storage, bool HasCredentials)
{
    /// <summary>Ours and the package there: the cache is installed (it may still be stopped).</summary>
    public bool Installed => PackageInstalled && Ours;

    public static async Task<RegistryCacheStatus> ReadAsync(IHost host, string dataDirectory, CancellationToken cancellation)
    {
        var context = new StageContext(host, SilentLog.Instance, dataDirectory, cancellation);
        var package = (await Apt.MissingAsync(context, [RegistryCacheConfig.Package])).Count == 0;
        var config = Parse(await context.ReadFileAsync(RegistryCacheConfig.Path));
        var running = package && await Systemd.IsActiveAsync(context, RegistryCacheConfig.Unit);
        return config with { PackageInstalled = package, Running = running };
    }

    /// <summary>What a config.yml names; only a file we wrote is read (a registry the user configured is not ours to describe or empty).</summary>
    public static RegistryCacheStatus Parse(string? config)
    {
        if (config is null || !config.StartsWith(RegistryCacheConfig.Header, StringComparison.Ordinal))
            return new RegistryCacheStatus(false, false, false, null, null, null, RegistryCacheConfig.HasPassword(config));
        return new RegistryCacheStatus(false, false, true, Value(config, "remoteurl"), Value(config, "addr"), Value(config, "rootdirectory"),
            RegistryCacheConfig.HasPassword(config));
    }

    /// <summary>A key's double-quoted value as <see cref="RegistryCacheConfig.Render"/> writes it (each key once in the file).</summary>
    static string? Value(string config, string key) =>
        config.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal))?[(key.Length + 1)..].Trim().Trim('"');
}
