using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Cache;

/// <summary>The plans behind `cache install` and `cache uninstall`.</summary>
public static class CachePlans
{
    public static Plan Install(CacheRequest request, StackServices? services = null) =>
        new(CacheRequest.InstallKind, [new CachePackageStage(), new PullThroughCacheStage(request, services ?? StackServices.Default)]);

    public static Plan Uninstall(CacheRequest request) => new(CacheRequest.UninstallKind, [new CacheUninstallStage(request)]);
}
