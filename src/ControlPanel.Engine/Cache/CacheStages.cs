using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Cache;

/// <summary>Debian's docker-registry package; a marker records that we installed it, so uninstall removes only what it added.</summary>
public sealed class CachePackageStage : Stage
{
    public const string Marker = StackPaths.StateDir + "/docker-registry.installed-by-controlpanel";

    public override string Name => "cache-package";
    public override string Title => "Install Debian's docker-registry package";
    public override TimeSpan Timeout => TimeSpan.FromMinutes(20);

    public override async Task<StageCheck> CheckAsync(StageContext context) =>
        (await Apt.MissingAsync(context, [RegistryCacheConfig.Package])).Count == 0
            ? StageCheck.Satisfied(CacheReasons.Installed.Message())
            : StageCheck.Needed(CacheReasons.NotInstalled.Message());

    public override async Task ApplyAsync(StageContext context)
    {
        await Apt.InstallAsync(context, [RegistryCacheConfig.Package]);
        await context.WriteFileAsync(new Hosts.FileSpec(Marker, "docker-registry\n", "0644"));
    }
}

/// <summary>
/// The registry in proxy mode: config.yml (the packaged one kept beside it once), its storage folder owned by the
/// service's user, the service enabled and restarted only when the config changed, then answering on /v2/.
/// </summary>
public sealed class PullThroughCacheStage(CacheRequest request, StackServices services) : ConfigEditStage
{
    public override string Name => "pull-through-cache";
    public override string Title => $"Pull-through cache of {request.Upstream} on {request.Listen}, stored in {request.Storage}";
    protected override UserMessage DoneReason =>
        CacheReasons.Caching.With(("upstream", request.Upstream), ("listen", request.Listen), ("expiry", RegistryCacheConfig.ExpiryMessage));

    protected override async Task<IReadOnlyList<ConfigEdit>> PlanAsync(StageContext context)
    {
        var edit = ConfigPlanner.Set(RegistryCacheConfig.FileFor(request.HasCredentials), await context.ReadFileAsync(RegistryCacheConfig.File.Path),
            await ConfigBackup.ReadAsync(context, RegistryCacheConfig.File.Path), [(RegistryCacheConfig.Whole, RegistryCacheConfig.Render(request))]);
        return edit is null ? [] : [edit];
    }

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var files = await base.CheckAsync(context);
        if (!files.Done) return files;
        if (!await Systemd.IsActiveAsync(context, RegistryCacheConfig.Unit)) return StageCheck.Needed(CheckReasons.NotRunning.With(("unit", RegistryCacheConfig.Unit)));
        return await AnswersAsync(context) ? files : StageCheck.Needed(CacheReasons.NoAnswer.With(("listen", request.Listen)));
    }

    public override async Task ApplyAsync(StageContext context)
    {
        if (!await HostFacts.ExistsAsync(context, request.Storage))
        {
            await context.RunAsync("mkdir", "-p", "--", request.Storage);
            await context.RunAsync("chown", "docker-registry:docker-registry", "--", request.Storage);
        }
        await base.ApplyAsync(context);
        await Systemd.EnableAsync(context, RegistryCacheConfig.Unit);
        await context.RunAsync("systemctl", "start", RegistryCacheConfig.Unit);
    }

    protected override Task AfterChangeAsync(StageContext context, IReadOnlyList<string> changed) => Systemd.RestartAsync(context, RegistryCacheConfig.Unit);

    public override async Task VerifyAsync(StageContext context)
    {
        if (!await Poll.UntilAsync(context, services, $"the registry cache to answer on {request.Listen}", services.ServiceWait, () => AnswersAsync(context)))
            throw new StageFailedException(CacheReasons.Timeout.With(("listen", request.Listen), ("seconds", services.ServiceWait.TotalSeconds.ToString("0"))));
        await base.VerifyAsync(context);
    }

    /// <summary>The registry API's base endpoint answers 200 to an anonymous client.</summary>
    async Task<bool> AnswersAsync(StageContext context)
    {
        var host = request.Listen[..request.Listen.LastIndexOf(':')] is { Length: > 0 } h && h != "0.0.0.0" ? h : "127.0.0.1";
        var r = await context.ProbeAsync("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", $"http://{host}:{request.Port}/v2/");
        return r.Stdout.Trim() == "200";
    }
}

/// <summary>The cache's uninstall: service stopped and disabled, packaged config back, cached data removed unless kept, the package removed if we installed it.</summary>
public sealed class CacheUninstallStage(CacheRequest request) : ConfigEditStage
{
    public override string Name => "pull-through-cache-uninstall";
    public override string Title => "Remove the pull-through cache" + (request.KeepData ? " (keeping the cached images)" : "");
    protected override UserMessage DoneReason => CacheReasons.NoneOfOurs.Message();

    protected override async Task<IReadOnlyList<ConfigEdit>> PlanAsync(StageContext context)
    {
        var current = await context.ReadFileAsync(RegistryCacheConfig.File.Path);
        var edit = ConfigPlanner.Reset(RegistryCacheConfig.FileFor(RegistryCacheConfig.HasPassword(current)), current,
            await ConfigBackup.ReadAsync(context, RegistryCacheConfig.File.Path), [RegistryCacheConfig.Whole]);
        return edit is null ? [] : [edit];
    }

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var files = await base.CheckAsync(context);
        if (!files.Done) return files;
        return await HostFacts.ExistsAsync(context, CachePackageStage.Marker) ? StageCheck.Needed(CacheReasons.InstalledByUs.Message()) : files;
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var storage = RegistryCacheStatus.Parse(await context.ReadFileAsync(RegistryCacheConfig.File.Path)).Storage;
        await Systemd.StopAndDisableAsync(context, RegistryCacheConfig.Unit);
        await base.ApplyAsync(context);
        if (!request.KeepData && storage is not null)
            await context.RunAsync("find", storage, "-mindepth", "1", "-delete");
        if (await HostFacts.ExistsAsync(context, CachePackageStage.Marker))
        {
            await Apt.PurgeAsync(context, RegistryCacheConfig.Package);
            await context.DeleteFileAsync(CachePackageStage.Marker);
        }
    }

    protected override Task AfterChangeAsync(StageContext context, IReadOnlyList<string> changed) => Task.CompletedTask;
}
