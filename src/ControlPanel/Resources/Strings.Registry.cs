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
    public static readonly Text CacheRunning = new("installed and running", "已安装并运行中");
    public static readonly Text CacheStopped = new("installed, not running", "已安装，未运行");
    public static readonly Text CachePackageOnly = new("docker-registry is installed but not configured as our cache", "docker-registry 已安装，但未配置为本面板的缓存");
    public static readonly Text CacheNotInstalled = new("not installed", "未安装");
    public static readonly Text CacheUpstream = new("Upstream registry", "上游仓库");
    public static readonly Text CacheWithAccount = new("with an upstream account", "使用上游账户");
    public static readonly Text CacheListen = new("Listen address", "监听地址");
    public static readonly Text CacheStorage = new("Storage folder", "存储目录");
    public static readonly Text CacheExpiry = new("Cache expiry", "缓存过期");
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

    public static readonly Text HostReadFailed = new("Could not read the host: {0}", "无法读取主机：{0}");

    public static readonly Text NavMirrors = new("Registry mirrors", "镜像加速");
    public static readonly Text MirrorsTitle = new("Registry mirrors", "镜像仓库加速");
    public static readonly Text MirrorsIntro = new("Where containerd and Docker pull each registry's images from: a pull-through cache, a regional mirror. Merged into the host's own files (every other setting kept, the original saved); reset puts the original back.",
        "containerd 和 Docker 从哪里拉取各仓库的镜像：拉取缓存或区域镜像。设置会合并到主机自身的配置文件中（保留其他所有设置并备份原文件）；重置会恢复原文件。");
    public static readonly Text MirrorsCurrent = new("Mirrors on the host now", "主机当前的镜像加速");
    public static readonly Text MirrorsRuntime = new("Runtime", "容器运行时");
    public static readonly Text MirrorsRegistry = new("Registry", "镜像仓库");
    public static readonly Text MirrorsList = new("Mirrors", "镜像地址");
    public static readonly Text MirrorsNone = new("No mirrors: images are pulled from the registries themselves.", "未设置镜像加速：直接从各仓库拉取镜像。");
    public static readonly Text MirrorsContainerdIn = new("containerd {0} reads them from {1}", "containerd {0} 从 {1} 读取");
    public static readonly Text MirrorsContainerdMissing = new("containerd is not installed (its mirrors would go to {0})", "未安装 containerd（其镜像加速将写入 {0}）");
    public static readonly Text MirrorsDockerIn = new("Docker reads them from {0}", "Docker 从 {0} 读取");
    public static readonly Text MirrorsOriginalKept = new("the original is kept for reset", "原文件已备份，可重置");
    public static readonly Text MirrorsSetTitle = new("Set mirrors", "设置镜像加速");
    public static readonly Text MirrorsRegistryHint = new("docker.io, ghcr.io, registry.k8s.io or host:port. Docker's daemon.json mirrors Docker Hub only.",
        "docker.io、ghcr.io、registry.k8s.io 或 主机:端口。Docker 的 daemon.json 只能为 Docker Hub 设置镜像。");
    public static readonly Text MirrorsListHint = new("One URL a line (http:// or https://), tried in order.", "每行一个地址（http:// 或 https://），按顺序尝试。");
    public static readonly Text MirrorsRuntimeHint = new("containerd: hosts.toml (1.5+) or config.toml; docker: daemon.json; both.", "containerd：hosts.toml（1.5 及以上）或 config.toml；docker：daemon.json；both：两者。");
    public static readonly Text MirrorsSet = new("Set the mirrors", "设置镜像加速");
    public static readonly Text MirrorsResetTitle = new("Reset", "重置");
    public static readonly Text MirrorsResetIntro = new("Puts back the mirror settings the host had before they were set here.", "恢复在此设置之前主机原有的镜像加速配置。");
    public static readonly Text MirrorsEveryRegistry = new("every registry set here", "此处设置过的所有仓库");
    public static readonly Text MirrorsReset = new("Reset the mirrors", "重置镜像加速");
}
