using ControlPanel.Engine.Cache;
using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

/// <summary>Strings of the registry pages: the pull-through cache and the registry mirrors.</summary>
public static partial class S
{
    public static readonly Text NavRegistryCache = new("Registry cache", "镜像缓存");
    public static readonly Text CacheTitle = new("Pull-through registry cache", "镜像仓库拉取缓存");
    public static readonly Text CacheIntro = new("A registry in proxy mode (Debian's docker-registry) keeps what this host's neighbours pull, so each image crosses the slow link once. Other hosts use it through their registry mirrors.",
        "以代理模式运行的镜像仓库（Debian 的 docker-registry）保存邻近主机拉取过的镜像，每个镜像只需经过慢速链路一次。其他主机通过其镜像加速设置使用它。");
    public static readonly Text CacheStatusTitle = new("On the host now", "主机当前状态");
    public static readonly Text CacheStatusFailed = new("Could not read the host: {0}", "无法读取主机：{0}");
    public static readonly Text CacheRunning = new("installed and running", "已安装并运行中");
    public static readonly Text CacheStopped = new("installed, not running", "已安装，未运行");
    public static readonly Text CachePackageOnly = new("docker-registry is installed but not configured as our cache", "docker-registry 已安装，但未配置为本面板的缓存");
    public static readonly Text CacheNotInstalled = new("not installed", "未安装");
    public static readonly Text CacheUpstream = new("Upstream registry", "上游仓库");
    public static readonly Text CacheWithAccount = new("with an upstream account", "使用上游账户");
    public static readonly Text CacheListen = new("Listen address", "监听地址");
    public static readonly Text CacheStorage = new("Storage folder", "存储目录");
    public static readonly Text CacheExpiry = new("Cache expiry", "缓存过期");
    /// <summary>The engine's own words in English (as `cache install` prints them), its expiry in Chinese.</summary>
    public static readonly Text CacheExpiryPolicy = new(RegistryCacheConfig.ExpiryPolicy,
        $"缓存内容在拉取 {RegistryCacheConfig.Expiry.TotalDays:0} 天后删除（docker-registry 2.8 内置，不可配置；上游可用时，每次拉取都会向上游重新检查标签）");
    public static readonly Text CacheMirrorHint = new("Point other hosts at it: {0}", "让其他主机使用它：{0}");
    public static readonly Text CacheInstallTitle = new("Install or change", "安装或修改");
    public static readonly Text CacheUpstreamHint = new("Docker Hub by default; another cache's URL makes a cascade.", "默认为 Docker Hub；填写另一个缓存的地址即可级联。");
    public static readonly Text CacheUsername = new("Upstream username", "上游用户名");
    public static readonly Text CacheAccountHint = new("Only if the upstream needs a login; the password is kept as a secret (config.yml becomes 0640).",
        "仅当上游需要登录时填写；密码作为机密保存（config.yml 权限改为 0640）。");
    public static readonly Text CachePassword = new("Upstream password", "上游密码");
    public static readonly Text CacheInstall = new("Install the cache", "安装缓存");
    public static readonly Text CacheUninstallTitle = new("Uninstall", "卸载");
    public static readonly Text CacheUninstallIntro = new("Stops the cache, puts back the packaged config.yml, removes the cached images (unless kept) and the package if we installed it.",
        "停止缓存，恢复软件包自带的 config.yml，删除缓存的镜像（除非保留），若软件包由本面板安装则一并删除。");
    public static readonly Text CacheKeepData = new("Keep the cached images", "保留已缓存的镜像");
    public static readonly Text CacheUninstall = new("Uninstall the cache", "卸载缓存");
}
