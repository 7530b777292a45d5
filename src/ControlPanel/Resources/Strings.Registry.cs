using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

/// <summary>Strings of the registry pages: the pull-through cache and the registry mirrors.</summary>
public static partial class S
{
    public static readonly Text NavRegistryCache = new(nameof(NavRegistryCache));
    public static readonly Text CacheTitle = new(nameof(CacheTitle));
    public static readonly Text CacheIntro = new(nameof(CacheIntro));
    public static readonly Text CacheStatusTitle = new(nameof(CacheStatusTitle));
    public static readonly Text CacheRunning = new(nameof(CacheRunning));
    public static readonly Text CacheStopped = new(nameof(CacheStopped));
    public static readonly Text CachePackageOnly = new(nameof(CachePackageOnly));
    public static readonly Text CacheNotInstalled = new(nameof(CacheNotInstalled));
    public static readonly Text CacheUpstream = new(nameof(CacheUpstream));
    public static readonly Text CacheWithAccount = new(nameof(CacheWithAccount));
    public static readonly Text CacheListen = new(nameof(CacheListen));
    public static readonly Text CacheStorage = new(nameof(CacheStorage));
    public static readonly Text CacheExpiry = new(nameof(CacheExpiry));
    public static readonly Text CacheMirrorHint = new(nameof(CacheMirrorHint));
    public static readonly Text CacheInstallTitle = new(nameof(CacheInstallTitle));
    public static readonly Text CacheUpstreamHint = new(nameof(CacheUpstreamHint));
    public static readonly Text CacheUsername = new(nameof(CacheUsername));
    public static readonly Text CacheAccountHint = new(nameof(CacheAccountHint));
    public static readonly Text CachePassword = new(nameof(CachePassword));
    public static readonly Text CacheInstall = new(nameof(CacheInstall));
    public static readonly Text CacheUninstallTitle = new(nameof(CacheUninstallTitle));
    public static readonly Text CacheUninstallIntro = new(nameof(CacheUninstallIntro));
    public static readonly Text CacheKeepData = new(nameof(CacheKeepData));
    public static readonly Text CacheUninstall = new(nameof(CacheUninstall));

    public static readonly Text HostReadFailed = new(nameof(HostReadFailed));

    public static readonly Text NavMirrors = new(nameof(NavMirrors));
    public static readonly Text MirrorsTitle = new(nameof(MirrorsTitle));
    public static readonly Text MirrorsIntro = new(nameof(MirrorsIntro));
    public static readonly Text MirrorsCurrent = new(nameof(MirrorsCurrent));
    public static readonly Text MirrorsRuntime = new(nameof(MirrorsRuntime));
    public static readonly Text MirrorsRegistry = new(nameof(MirrorsRegistry));
    public static readonly Text MirrorsList = new(nameof(MirrorsList));
    public static readonly Text MirrorsNone = new(nameof(MirrorsNone));
    public static readonly Text MirrorsContainerdIn = new(nameof(MirrorsContainerdIn));
    public static readonly Text MirrorsContainerdMissing = new(nameof(MirrorsContainerdMissing));
    public static readonly Text MirrorsDockerIn = new(nameof(MirrorsDockerIn));
    public static readonly Text MirrorsOriginalKept = new(nameof(MirrorsOriginalKept));
    public static readonly Text MirrorsSetTitle = new(nameof(MirrorsSetTitle));
    public static readonly Text MirrorsRegistryHint = new(nameof(MirrorsRegistryHint));
    public static readonly Text MirrorsListHint = new(nameof(MirrorsListHint));
    public static readonly Text MirrorsRuntimeHint = new(nameof(MirrorsRuntimeHint));
    public static readonly Text MirrorsSet = new(nameof(MirrorsSet));
    public static readonly Text MirrorsResetTitle = new(nameof(MirrorsResetTitle));
    public static readonly Text MirrorsResetIntro = new(nameof(MirrorsResetIntro));
    public static readonly Text MirrorsEveryRegistry = new(nameof(MirrorsEveryRegistry));
    public static readonly Text MirrorsReset = new(nameof(MirrorsReset));
}
