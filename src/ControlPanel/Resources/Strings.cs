using ControlPanel.Engine.Stages;
using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

/// <summary>
/// Every string of the panel, English and Simplified Chinese side by side: the one place to translate.
/// The engine's messages are translated by their keys in Strings.Engine.cs; command output and other verbatim text stay as written.
/// </summary>
public static partial class S
{
    // Navigation and layout
    public static readonly Text NavDashboard = new("Dashboard", "仪表盘");
    public static readonly Text NavInstall = new("Install", "安装");
    public static readonly Text NavRuns = new("Runs", "任务记录");
    public static readonly Text NavUninstall = new("Uninstall", "卸载");
    public static readonly Text NavSettings = new("Settings", "设置");
    public static readonly Text NavAudit = new("Audit log", "审计日志");
    public static readonly Text NavSessions = new("Sessions", "会话");
    public static readonly Text NavCertificates = new("Certificates", "证书");
    public static readonly Text NavProxy = new("Proxy", "反向代理");
    public static readonly Text Menu = new("Menu", "菜单");
    public static readonly Text ThemeDark = new("Dark theme", "深色主题");
    public static readonly Text ThemeLight = new("Light theme", "浅色主题");
    public static readonly Text Logout = new("Sign out", "退出登录");
    public static readonly Text NotFound = new("There is nothing at this address.", "此地址没有内容。");
    public static readonly Text NotFoundTitle = new("Page not found", "页面不存在");
    public static readonly Text ListFilter = new("Filter", "筛选");
    public static readonly Text ListCount = new("{0}–{1} of {2}", "第 {0}–{1} 条，共 {2} 条");
    public static readonly Text ListPrevious = new("Previous", "上一页");
    public static readonly Text ListNext = new("Next", "下一页");
    public static readonly Text JustNow = new("just now", "刚刚");
    public static readonly Text Ago = new("{0} ago", "{0}前");
    public static readonly Text InFuture = new("in {0}", "{0}后");
    public static readonly Text Seconds = new("{0} s", "{0} 秒");
    public static readonly Text Minutes = new("{0} min", "{0} 分钟");
    public static readonly Text Hours = new("{0} h", "{0} 小时");
    public static readonly Text Days = new("{0} d", "{0} 天");

    /// <summary>A time relative to now, as people say it: "3 min ago", "in 60 d" (delta: the time minus now).</summary>
    public static string Relative(TimeSpan delta)
    {
        var span = delta.Duration();
        if (span < TimeSpan.FromSeconds(10)) return JustNow.ToString();
        var amount = span.TotalMinutes < 1 ? Seconds.Format((int)span.TotalSeconds)
            : span.TotalHours < 1 ? Minutes.Format((int)span.TotalMinutes)
            : span.TotalDays < 2 ? Hours.Format((int)span.TotalHours)
            : Days.Format((int)span.TotalDays);
        return (delta < TimeSpan.Zero ? Ago : InFuture).Format(amount);
    }

    public static readonly Text Loading = new("Loading…", "加载中…");

    // Sign-in and first start
    public static readonly Text LoginTitle = new("Sign in", "登录");
    public static readonly Text SignIn = new("Sign in", "登录");
    public static readonly Text UserName = new("User name", "用户名");
    public static readonly Text Password = new("Password", "密码");
    public static readonly Text TotpCode = new("Authenticator code", "动态验证码");
    public static readonly Text TotpCodeOrRecovery = new("Authenticator code or recovery code", "动态验证码或恢复码");
    public static readonly Text TotpCodeHint = new("Lost the authenticator? Enter one of your recovery codes; each works once.",
        "身份验证器丢失？请输入一个恢复码；每个恢复码只能使用一次。");
    public static readonly Text LoginWrong = new("Wrong user name, password or code.", "用户名、密码或验证码错误。");
    public static readonly Text LoginCodeRequired = new("Enter the code from your authenticator app, with your password again.", "请输入身份验证器中的验证码，并再次输入密码。");
    public static readonly Text LoginThrottled = new("Too many failed sign-ins: try again in {0} s.", "登录失败次数过多：请在 {0} 秒后重试。");
    public static readonly Text LoginNotSetUp = new("No admin account exists yet. Open the one-time setup URL the panel printed to its console (or read DATA/setup-token).",
        "尚未创建管理员账号。请打开面板在控制台输出的一次性设置链接（或查看 DATA/setup-token）。");
    public static readonly Text SetupTitle = new("Set up the admin account", "设置管理员账号");
    public static readonly Text SetupIntro = new("This link works once. Choose the admin password (at least 12 characters); there is no default password.",
        "此链接只能使用一次。请设置管理员密码（至少 12 个字符）；面板没有默认密码。");
    public static readonly Text SetupInvalid = new("This setup link is not valid: it was already used, or the panel restarted and printed a new one.",
        "此设置链接无效：它已被使用，或面板已重启并输出了新的链接。");
    public static readonly Text SetupSubmit = new("Create admin account", "创建管理员账号");
    public static readonly Text NewPassword = new("New password", "新密码");
    public static readonly Text ConfirmPassword = new("Repeat the password", "再次输入密码");

    // Install form
    public static readonly Text InstallTitle = new("Install the faasd stack", "安装 faasd 套件");
    public static readonly Text InstallIntro = new("Fill in the form, check the preview of every step, then start. Nothing changes before you start.",
        "填写表单，检查每个步骤的预览，然后开始。开始之前不会做任何更改。");
    public static readonly Text FieldDomain = new("Domain", "域名");
    public static readonly Text FieldEmail = new("E-mail", "电子邮箱");
    public static readonly Text FieldPanelType = new("Panel type", "面板类型");
    public static readonly Text FieldProfile = new("Versions profile", "版本配置");
    public static readonly Text FieldMirror = new("Download mirror", "下载镜像");
    public static readonly Text FieldPassword = new("faasd password", "faasd 密码");
    public static readonly Text ProfileHint = new("seed: the versions panel.sh pinned; current: newer tested versions.", "seed：panel.sh 固定的版本；current：经过测试的较新版本。");
    public static readonly Text FieldRetentionDays = new("Keep runs for (days)", "任务保留天数");
    public static readonly Text RetentionHint = new("Finished runs older than this are deleted with their logs, once a day.", "超过此天数的已结束任务及其日志每天删除一次。");
    public static readonly Text MirrorHint = new("Optional. Base URL serving the release files (for hosts in mainland China or offline).", "可选。提供发布文件的基础 URL（适用于中国大陆或离线主机）。");
    public static readonly Text GeneratePassword = new("Generate a strong password (shown once after the start)", "生成强密码（开始后仅显示一次）");
    public static readonly Text ThisMachine = new("this machine (local)", "本机（local）");
    public static readonly Text TargetHint = new("Empty: this machine. Another host: ssh://user@host:port, signed in with the key {0}; its host key must be in {1}.",
        "留空：本机。其他主机：ssh://用户@主机:端口，使用密钥 {0} 登录；其主机密钥必须在 {1} 中。");
    public static readonly Text Preview = new("Preview", "预览");
    public static readonly Text StartInstall = new("Start install", "开始安装");
    public static readonly Text PreviewFirst = new("Preview the plan first.", "请先预览计划。");
    public static readonly Text PreviewRunning = new("Checking the host and preparing the preview…", "正在检查主机并生成预览…");
    public static readonly Text PreviewTitle = new("Preview (dry run)", "预览（演练）");
    public static readonly Text PreviewIntro = new("What each step would do. Steps whose check passes are skipped.", "每个步骤将执行的操作。检查已通过的步骤将被跳过。");
    public static readonly Text PreviewStale = new("The form changed since this preview: preview again before starting.", "预览之后表单已更改：请重新预览后再开始。");
    public static readonly Text PreviewTimedOut = new("The preview took too long and was stopped.", "预览耗时过长，已停止。");
    public static readonly Text PreviewApply = new("will apply", "将执行");
    public static readonly Text PreviewSkip = new("skip: already done", "跳过：已完成");
    public static readonly Text PreviewWouldFail = new("would fail", "将会失败");
    public static readonly Text StartBlocked = new("Cannot start: the preview says \"{0}\" would fail:", "无法开始：预览显示“{0}”将会失败：");
    public static readonly Text HostBusy = new("Not started: {0}", "未开始：{0}");
    public static readonly Text OpenRun = new("Open run #{0}", "打开任务 #{0}");

    // Uninstall
    public static readonly Text UninstallTitle = new("Uninstall the faasd stack", "卸载 faasd 套件");
    public static readonly Text UninstallIntro = new("Removes services, containers, network, CNI state and files. Preview first; the run ends with a report of anything left behind.",
        "删除服务、容器、网络、CNI 状态和文件。请先预览；任务结束时会报告残留内容。");
    public static readonly Text KeepData = new("Keep data", "保留数据");
    public static readonly Text KeepDataHint = new("Keep faasd secrets and data, containerd images and certificates", "保留 faasd 密钥和数据、containerd 镜像和证书");
    public static readonly Text UninstallWillRemove = new("What will be removed", "将被删除的内容");
    public static readonly Text UninstallConfirm = new("Type {0} to confirm", "输入 {0} 以确认");
    public static readonly Text StartUninstall = new("Uninstall", "卸载");

    // Runs
    public static readonly Text RunTitle = new("Run #{0}", "任务 #{0}");
    public static readonly Text RunMissing = new("This run does not exist (it may have been deleted).", "此任务不存在（可能已被删除）。");
    public static readonly Text RunHost = new("Target", "目标主机");
    public static readonly Text RunRequestedBy = new("Started by", "发起者");
    public static readonly Text RunJob = new("Job", "作业");
    public static readonly Text JobsDashboardLink = new("Jobs dashboard (Hangfire)", "作业面板（Hangfire）");
    public static readonly Text RunCreated = new("Created", "创建时间");
    public static readonly Text PasswordShownOnce = new("The generated faasd password. It is shown only this once: store it now.", "生成的 faasd 密码。仅显示这一次：请立即保存。");
    public static readonly Text StagesDone = new("{0} of {1} stages done", "已完成 {0}/{1} 个步骤");
    public static readonly Text Cancel = new("Cancel", "取消");
    public static readonly Text CancelAsked = new("Cancelling: the running command is being stopped.", "正在取消：正在停止当前命令。");
    public static readonly Text RetryFailed = new("Re-run failed stage ({0}) and continue", "重新运行失败的步骤（{0}）并继续");
    public static readonly Text Resume = new("Resume", "继续");
    public static readonly Text Requeue = new("Requeue", "重新排队");
    public static readonly Text Delete = new("Delete", "删除");
    public static readonly Text DeleteConfirm = new("Delete run #{0} with its logs?", "删除任务 #{0} 及其日志？");
    public static readonly Text Back = new("Back", "返回");
    public static readonly Text Stages = new("Stages", "步骤");
    public static readonly Text Log = new("Log", "日志");
    public static readonly Text History = new("State history", "状态历史");
    public static readonly Text WholeRun = new("(run)", "（任务）");
    public static readonly Text RerunOnly = new("Re-run", "重新运行");
    public static readonly Text RerunOnlyHint = new("Run this stage alone again", "仅重新运行此步骤");
    public static readonly Text RerunFrom = new("From here", "从此处运行");
    public static readonly Text RerunFromHint = new("Run again from this stage to the end", "从此步骤重新运行到结束");
    public static readonly Text NoRuns = new("No runs yet.", "暂无任务。");
    public static readonly Text AllRuns = new("All runs", "全部任务");
    public static readonly Text LogFollow = new("Follow", "跟随");
    public static readonly Text LogSearch = new("Search the log", "搜索日志");
    public static readonly Text LogLines = new("{0} lines", "{0} 行");
    public static readonly Text LogMatches = new("{0} of {1} lines match", "{1} 行中有 {0} 行匹配");
    public static readonly Text LogDownload = new("Download full log", "下载完整日志");

    // Tables
    public static readonly Text ColStage = new("Stage", "步骤");
    public static readonly Text ColState = new("State", "状态");
    public static readonly Text ColAttempts = new("Attempts", "尝试次数");
    public static readonly Text AttemptTimes = new("Each attempt", "每次尝试");
    public static readonly Text ColDuration = new("Duration", "耗时");
    public static readonly Text ColLines = new("Log lines", "日志行数");
    public static readonly Text ColCheck = new("Check / error", "检查 / 错误");
    public static readonly Text ColTime = new("Time", "时间");
    public static readonly Text ColMessage = new("Message", "消息");
    public static readonly Text ColKind = new("Kind", "类型");
    public static readonly Text ColStages = new("Stages", "步骤");
    public static readonly Text ColError = new("Error", "错误");
    public static readonly Text ColUser = new("User", "用户");
    public static readonly Text ColAction = new("Action", "操作");
    public static readonly Text ColDetail = new("Detail", "详情");
    public static readonly Text ColAddress = new("Address", "地址");
    public static readonly Text ColSignedIn = new("Signed in", "登录时间");
    public static readonly Text ColLastSeen = new("Last seen", "最近活动");
    public static readonly Text ColBrowser = new("Browser", "浏览器");

    // Sessions
    public static readonly Text SessionsNote = new(
        "Where you are signed in. Ending a session signs that browser out at its next request, and an open page of it within seconds.",
        "您当前登录的位置。结束某个会话后，该浏览器在下一次请求时即被登出，已打开的页面也会在几秒内登出。");
    public static readonly Text ThisSession = new("This session", "当前会话");
    public static readonly Text EndSession = new("End session", "结束会话");

    // Dashboard
    public static readonly Text InstallState = new("Installation", "安装状态");
    public static readonly Text NotInstalledYet = new("Nothing installed by this panel yet.", "此面板尚未安装任何内容。");
    public static readonly Text ActiveRun = new("Run #{0} ({1}) is in progress.", "任务 #{0}（{1}）正在进行。");
    public static readonly Text HostFacts = new("This machine", "本机信息");
    public static readonly Text HostName = new("Host name", "主机名");
    public static readonly Text HostOs = new("System", "系统");
    public static readonly Text HostKernel = new("Kernel", "内核");
    public static readonly Text HostCpus = new("CPUs", "CPU 数");
    public static readonly Text HostMemory = new("Memory", "内存");
    public static readonly Text Services = new("Services", "服务");
    public static readonly Text ServicesNoSystemd = new("systemd does not run on this machine (a container?): its services cannot be checked here.", "此机器未运行 systemd（容器中？）：无法在此检查其服务。");
    public static readonly Text ServiceNotInstalled = new("not installed", "未安装");
    public static readonly Text ServiceActive = new("active", "运行中");
    public static readonly Text HostLoad = new("Load (1, 5, 15 min)", "负载（1、5、15 分钟）");
    public static readonly Text MemoryFree = new("{0} available of {1}", "可用 {0}，共 {1}");
    public static readonly Text HostDisk = new("Disk (/)", "磁盘（/）");
    public static readonly Text DiskFree = new("{0} free of {1}", "可用 {0}，共 {1}");

    // Settings
    public static readonly Text SettingsPanel = new("Panel", "面板");
    public static readonly Text ListenAddress = new("Listen address", "监听地址");
    public static readonly Text ListenHint = new("Chosen where the panel is started (install.sh, or the panel's service). Loopback by default: reach it through an SSH tunnel or nginx.",
        "在启动面板的地方设置（install.sh 或面板的服务）。默认仅监听本地回环：请通过 SSH 隧道或 nginx 访问。");
    public static readonly Text DataDirectory = new("Data directory", "数据目录");
    public static readonly Text PlansInUse = new("Plans in use", "使用中的计划");
    public static readonly Text SettingsDefaults = new("Install defaults", "安装默认值");
    public static readonly Text Save = new("Save", "保存");
    public static readonly Text Saved = new("Saved.", "已保存。");
    public static readonly Text TwoFactor = new("Two-factor sign-in", "双因素登录");
    public static readonly Text TwoFactorOn = new("On: signing in asks for a code from your authenticator app.", "已开启：登录时需要身份验证器中的验证码。");
    public static readonly Text TwoFactorOff = new("Off.", "未开启。");
    public static readonly Text TwoFactorEnable = new("Turn on", "开启");
    public static readonly Text TwoFactorDisable = new("Turn off", "关闭");
    public static readonly Text TwoFactorScan = new("Scan the QR code with your authenticator app, or add the secret below by hand (TOTP, 30 s, 6 digits); then enter the code it shows.",
        "用身份验证器扫描二维码，或手动添加下面的密钥（TOTP，30 秒，6 位）；然后输入其显示的验证码。");
    public static readonly Text RevealPassword = new("Show the faasd password", "显示 faasd 密码");
    public static readonly Text RevealConfirm = new("Your panel password", "您的面板密码");
    public static readonly Text RevealShown = new("faasd's admin password (user admin), as the host holds it now:", "faasd 管理员密码（用户 admin），取自主机当前保存的值：");
    public static readonly Text RevealWrongPassword = new("Wrong password: nothing shown.", "密码错误：未显示任何内容。");
    public static readonly Text RevealGone = new("The host holds no faasd password (uninstalled, or never installed).", "主机上没有 faasd 密码（已卸载或从未安装）。");
    public static readonly Text TwoFactorQr = new("QR code of the authenticator key", "身份验证器密钥的二维码");
    public static readonly Text TwoFactorSecret = new("Secret", "密钥");
    public static readonly Text TwoFactorConfirm = new("Confirm and turn on", "确认并开启");
    public static readonly Text RecoveryCodesTitle = new("Recovery codes", "恢复码");
    public static readonly Text RecoveryCodesSave = new("Keep these codes somewhere safe, apart from your phone: each signs you in once in place of a code. They are shown only now.",
        "请把这些恢复码保存在手机以外的安全之处：每个恢复码可代替验证码登录一次。它们只显示这一次。");
    public static readonly Text RecoveryCodesLeft = new("{0} recovery codes left.", "剩余 {0} 个恢复码。");
    public static readonly Text RecoveryCodesNew = new("New recovery codes", "生成新的恢复码");
    public static readonly Text RecoveryCodesReplaced = new("The old recovery codes no longer work.", "旧的恢复码已失效。");
    public static readonly Text TwoFactorWrong = new("the code does not match; check the device's clock", "验证码不匹配；请检查设备时间");

    // Certificates
    public static readonly Text CertTitle = new("TLS certificates", "TLS 证书");
    public static readonly Text CertIntro = new("Certificates this panel issued through ACME and keeps renewed (checked daily; renewed when a third of the lifetime or 30 days remain).",
        "此面板通过 ACME 签发并自动续期的证书（每天检查；剩余三分之一有效期或 30 天时续期）。");
    public static readonly Text CertNone = new("No certificates yet: issue one below, or run the install.", "暂无证书：请在下方签发，或运行安装。");
    public static readonly Text ColDomains = new("Domains", "域名");
    public static readonly Text ColExpires = new("Expires", "到期时间");
    public static readonly Text CertCa = new("CA", "证书颁发机构");
    public static readonly Text CertAccount = new("ACME account", "ACME 账户");
    public static readonly Text CertNoAccount = new("no account yet", "尚无账户");
    public static readonly Text CertLastError = new("Last error", "最近错误");
    public static readonly Text CertIssuer = new("issuer", "签发者");
    public static readonly Text CertDaysLeft = new("{0} days left", "剩余 {0} 天");
    public static readonly Text DirectoryStagingHint = new("Staging: Let's Encrypt's test CA. Its certificates are not trusted by browsers, its limits are generous: get the set-up right here, then choose letsencrypt.",
        "Staging：Let's Encrypt 的测试 CA。其证书不受浏览器信任，限额宽松：先在这里把配置调通，再选择 letsencrypt。");
    public static readonly Text DirectoryProductionHint = new("Production limits: 5 certificates per week for the same set of names, 50 per registered domain per week, 5 failed validations per name per hour. A mistake repeated can block issuance for days: try on staging first.",
        "正式环境限额：同一组域名每周 5 张证书，每个注册域名每周 50 张，每个域名每小时 5 次验证失败。重复出错可能数天无法签发：请先在 staging 上试。");
    public static readonly Text CertExpired = new("expired", "已过期");
    public static readonly Text CertRenewalFailing = new("renewal failing: see Certificates", "续期失败：见“证书”页");
    public static readonly Text CertNoneManaged = new("No managed certificate yet.", "暂无受管理的证书。");
    public static readonly Text LastRunPerHost = new("Last run on each host", "每台主机的最近任务");
    public static readonly Text CertRenewFrom = new("renewal from", "续期开始于");
    public static readonly Text CertFailures = new("{0} failed attempt(s), last {1}:", "失败 {0} 次，最近一次 {1}：");
    public static readonly Text CertRenewNow = new("Renew now", "立即续期");
    public static readonly Text CertIssueTitle = new("Issue a certificate", "签发证书");
    public static readonly Text CertIssue = new("Issue", "签发");
    public static readonly Text FieldDomains = new("Domains", "域名");
    public static readonly Text DomainsHint = new("Comma-separated; the first is the certificate's subject. Each must point at this host.", "以逗号分隔；第一个为证书主体。每个域名都必须解析到此主机。");
    public static readonly Text CertEmailHint = new("Optional: the CA's expiry notices go here.", "可选：证书颁发机构的到期通知将发送到此邮箱。");
    public static readonly Text FieldDirectory = new("Certificate authority", "证书颁发机构");
    public static readonly Text DirectoryCustom = new("another CA (directory URL)", "其他机构（目录 URL）");
    public static readonly Text FieldDirectoryUrl = new("ACME directory URL", "ACME 目录 URL");
    public static readonly Text FieldDirectoryCa = new("CA bundle for the directory", "目录的 CA 证书包");
    public static readonly Text DirectoryCaHint = new("Optional: a PEM file on this server to trust for the directory's HTTPS (a private CA).", "可选：服务器上的 PEM 文件，用于信任目录的 HTTPS（私有 CA）。");
    public static readonly Text FieldEabKid = new("EAB key id", "EAB 密钥 ID");
    public static readonly Text FieldEabHmac = new("EAB HMAC key", "EAB HMAC 密钥");
    public static readonly Text EabHint = new("External Account Binding from the CA's dashboard (ZeroSSL needs it for a new account).", "证书颁发机构控制台提供的外部账户绑定（ZeroSSL 新账户需要）。");
    public static readonly Text FieldHttpPort = new("HTTP-01 port", "HTTP-01 端口");
    public static readonly Text HttpPortHint = new("Empty: nginx's webroot when nginx runs, else the panel's own listener on port 80. A number: the panel's own listener on that port.",
        "留空：nginx 运行时使用其 webroot，否则由面板在 80 端口监听。填写数字：由面板在该端口监听。");
    public static readonly Text FieldCertDir = new("Certificate directory", "证书目录");

    // Proxy
    public static readonly Text ProxyTitle = new("Reverse proxy (nginx)", "反向代理（nginx）");
    public static readonly Text ProxyIntro = new("Edit the routes, preview the change to the site file, then apply: nginx tests the new file first and keeps serving the old one if it refuses.",
        "编辑路由，预览站点文件的变更，然后应用：nginx 会先测试新文件，若拒绝则继续使用旧文件。");
    public static readonly Text ProxyFiles = new("Files", "文件");
    public static readonly Text HstsOn = new("Send Strict-Transport-Security", "发送 Strict-Transport-Security");
    public static readonly Text HstsHint = new("Browsers then refuse plain HTTP to this domain for two years: turn on only when HTTPS works.", "浏览器将在两年内拒绝以 HTTP 访问此域名：请在 HTTPS 正常后再开启。");
    public static readonly Text ProxyRoutes = new("Routes", "路由");
    public static readonly Text RouteN = new("Route {0}", "路由 {0}");
    public static readonly Text RoutePath = new("Path", "路径");
    public static readonly Text RouteUpstream = new("Upstream", "上游地址");
    public static readonly Text RouteHostHeader = new("Host header", "Host 请求头");
    public static readonly Text RouteHttpsRedirects = new("https:// redirects", "重定向改为 https://");
    public static readonly Text RouteStartPage = new("Start page", "起始页");
    public static readonly Text HostClient = new("the browser's", "浏览器的");
    public static readonly Text HostUpstream = new("the upstream's", "上游地址的");
    public static readonly Text RouteRemove = new("Remove", "删除");
    public static readonly Text RouteAdd = new("Add route", "添加路由");
    public static readonly Text ProxyPreview = new("Preview the change", "预览变更");
    public static readonly Text ProxyApply = new("Apply", "应用");
    public static readonly Text ProxyPreviewFirst = new("Preview the change first.", "请先预览变更。");
    public static readonly Text ProxyDiff = new("Change to the site file", "站点文件的变更");
    public static readonly Text ProxyNoChange = new("The site file is already like this: nothing to apply.", "站点文件已是此内容：无需应用。");
    public static readonly Text ProxyApplied = new("Applied: nginx accepted the new site file and reloaded.", "已应用：nginx 接受了新的站点文件并已重新加载。");

    static readonly Dictionary<string, Text> CertStates = new()
    {
        ["ok"] = new("valid", "有效"),
        ["due"] = new("due for renewal", "待续期"),
        ["failing"] = new("renewal failing", "续期失败"),
        ["expired"] = new("expired", "已过期"),
        ["not issued"] = new("not issued", "未签发"),
    };

    /// <summary>A certificate's state (CertificateStatus.State).</summary>
    public static string CertStateName(string state) => CertStates.TryGetValue(state, out var t) ? t.ToString() : state;

    static readonly Dictionary<RunState, Text> States = new()
    {
        [RunState.Queued] = new("Queued", "排队中"),
        [RunState.Running] = new("Running", "运行中"),
        [RunState.Succeeded] = new("Succeeded", "成功"),
        [RunState.Failed] = new("Failed", "失败"),
        [RunState.Cancelled] = new("Cancelled", "已取消"),
        [RunState.Interrupted] = new("Interrupted", "已中断"),
        [RunState.Skipped] = new("Skipped", "已跳过"),
    };

    public static Text StateName(RunState state) => States[state];

    static readonly Dictionary<string, Text> Kinds = new()
    {
        ["install"] = new("Install", "安装"),
        ["uninstall"] = new("Uninstall", "卸载"),
        ["certificate-issue"] = new("Issue certificate", "签发证书"),
        ["certificate-renew"] = new("Renew certificate", "续期证书"),
        ["cache-install"] = new("Install registry cache", "安装镜像缓存"),
        ["cache-uninstall"] = new("Uninstall registry cache", "卸载镜像缓存"),
        ["mirrors-set"] = new("Set registry mirrors", "设置镜像加速"),
        ["mirrors-reset"] = new("Reset registry mirrors", "重置镜像加速"),
    };

    /// <summary>A plan kind's name; kinds added later by other features show as their machine name until translated here.</summary>
    public static string KindName(string kind) => Kinds.TryGetValue(kind, out var t) ? t.ToString() : kind;

    /// <summary>Stage titles by the stages' stable names (the engine's titles are English).</summary>
    static readonly Dictionary<string, Text> StageTitles = new()
    {
        ["preflight"] = new("Check that the host can take the stack", "检查主机是否满足安装条件"),
        ["snapshot"] = new("Record the host before the install (for the uninstall's leftover report)", "记录安装前的主机状态（用于卸载时的残留报告）"),
        ["deps"] = new("Install host packages (runc, bridge-utils, iptables, nginx, ca-certificates, curl)", "安装主机软件包（runc、bridge-utils、iptables、nginx、ca-certificates、curl）"),
        ["cni-plugins"] = new("CNI plugins {0}, IPv4 forwarding on", "CNI 插件{0}，开启 IPv4 转发"),
        ["containerd"] = new("containerd {0}, running under systemd", "containerd{0}，由 systemd 运行"),
        ["firewall"] = new("Keep ports 8080/8081 off the network (iptables chain, boot unit)", "禁止从外部访问 8080/8081 端口（iptables 链、开机单元）"),
        ["faasd"] = new("faasd {0}: services running, gateway on :8080", "faasd{0}：服务运行中，网关监听 :8080"),
        ["nginx"] = new("nginx reverse proxy (site, TLS, ACME challenge path)", "nginx 反向代理（站点、TLS、ACME 验证路径）"),
        ["nginx-tls"] = new("nginx reverse proxy with the certificate (HTTPS)", "nginx 反向代理（启用证书的 HTTPS）"),
        ["certificate"] = new("TLS certificate (ACME)", "TLS 证书（ACME）"),
        ["certificate-renew"] = new("Renew the TLS certificate now (ACME)", "立即续期 TLS 证书（ACME）"),
        ["stop-faasd"] = new("Stop and disable faasd and faasd-provider", "停止并禁用 faasd 和 faasd-provider"),
        ["containerd-workloads"] = new("Remove faasd's containers, images and namespaces", "删除 faasd 的容器、镜像和命名空间"),
        ["stop-containerd"] = new("Stop and disable containerd", "停止并禁用 containerd"),
        ["kill-shims"] = new("Kill leftover containerd shims and faasd log collectors", "结束残留的 containerd shim 和 faasd 日志收集进程"),
        ["unmount"] = new("Unmount what is left under /run/containerd, then remove it", "卸载 /run/containerd 下残留的挂载并删除该目录"),
        ["remove-bridge"] = new("Delete the faasd network bridge", "删除 faasd 网桥"),
        ["remove-cni-state"] = new("Remove faasd's CNI config, IPAM state and cached results", "删除 faasd 的 CNI 配置、IPAM 状态和缓存结果"),
        ["remove-cni-iptables"] = new("Remove CNI's iptables chains and rules for faasd's network", "删除 faasd 网络的 CNI iptables 链和规则"),
        ["remove-firewall"] = new("Remove the panel's firewall chain and its unit", "删除面板的防火墙链及其单元"),
        ["remove-files"] = new("Remove units, binaries and data", "删除单元文件、程序文件和数据"),
        ["nginx-site"] = new("Remove the ControlPanel nginx site and restore the site files it replaced", "删除 ControlPanel 的 nginx 站点并恢复被替换的站点文件"),
        ["remove-certificates"] = new("Remove the certificates issued for this host", "删除为此主机签发的证书"),
        ["restore-backups"] = new("Restore the files and settings the install changed", "恢复安装时修改的文件和设置"),
        ["cache-package"] = new("Install Debian's docker-registry package", "安装 Debian 的 docker-registry 软件包"),
        ["pull-through-cache"] = new("Pull-through cache", "拉取缓存（代理模式的镜像仓库）"),
        ["pull-through-cache-uninstall"] = new("Remove the pull-through cache", "删除拉取缓存"),
        ["containerd-mirrors"] = new("containerd registry mirrors", "containerd 镜像加速"),
        ["docker-mirrors"] = new("Docker registry mirrors (daemon.json)", "Docker 镜像加速（daemon.json）"),
        ["leftover-report"] = new("Compare the host with its snapshot from before the install", "将主机与安装前的快照进行比较"),
    };

    /// <summary>
    /// A stage's title in the current language, by its stable name. In English the engine's own title is shown (it
    /// can say more, e.g. "(data kept)"); a "{0}" takes the version the engine's title names (" 1.7.27"; nothing when it names none). Unknown stages keep the engine's title.
    /// </summary>
    public static string StageTitle(string name, string engineTitle)
    {
        if (!PanelCultures.IsChinese || !StageTitles.TryGetValue(name, out var t)) return engineTitle;
        return t.Zh.Contains("{0}") ? string.Format(t.Zh, VersionIn(engineTitle)) : t.Zh;
    }

    /// <summary>Every stage name with a translated title (for the tests).</summary>
    public static IReadOnlyCollection<string> TranslatedStages => StageTitles.Keys;

    static string VersionIn(string title) =>
        System.Text.RegularExpressions.Regex.Match(title, @"\d+\.\d+(\.\d+)?") is { Success: true } m ? " " + m.Value : "";

    // Built on first use: some labels live in the other Strings.*.cs files, whose fields may initialise after this one.
    static Dictionary<string, Text> Fields => fields ??= new()
    {
        ["Domain"] = FieldDomain,
        ["Email"] = FieldEmail,
        ["PanelType"] = FieldPanelType,
        ["Profile"] = FieldProfile,
        ["DownloadMirror"] = FieldMirror,
        ["RetentionDays"] = FieldRetentionDays,
        ["Password"] = FieldPassword,
        ["Target"] = RunHost,
        ["Domains"] = FieldDomains,
        ["Directory"] = FieldDirectory,
        ["DirectoryUrl"] = FieldDirectoryUrl,
        ["DirectoryCa"] = FieldDirectoryCa,
        ["EabKid"] = FieldEabKid,
        ["EabHmacKey"] = FieldEabHmac,
        ["HttpPort"] = FieldHttpPort,
        ["CertDirectory"] = FieldCertDir,
        ["Upstream"] = CacheUpstream,
        ["Listen"] = CacheListen,
        ["Storage"] = CacheStorage,
        ["UpstreamUsername"] = CacheUsername,
        ["UpstreamPassword"] = CachePassword,
        ["Registry"] = MirrorsRegistry,
        ["Mirrors"] = MirrorsList,
        ["Runtime"] = MirrorsRuntime,
        ["ResetRegistry"] = MirrorsRegistry,
        ["ResetRuntime"] = MirrorsRuntime,
        ["Hosts"] = ColHosts,
        ["Parallel"] = FleetParallel,
        ["domain"] = FieldDomain,
        ["routes"] = ProxyRoutes,
        ["path"] = RoutePath,
        ["upstream"] = RouteUpstream,
        ["hostHeader"] = RouteHostHeader,
        ["startPage"] = RouteStartPage,
    };

    static Dictionary<string, Text>? fields;

    /// <summary>The label of a form field (the forms' property names in Model/).</summary>
    public static string FieldLabel(string field)
    {
        // The proxy editor's fields: "routes[1].upstream" is "Route 2 upstream", "routes[1]" is "Route 2".
        var route = System.Text.RegularExpressions.Regex.Match(field, @"^routes\[(\d+)\](?:\.(\w+))?$");
        if (route.Success)
            return RouteN.Format(int.Parse(route.Groups[1].Value) + 1) + (route.Groups[2].Success ? " " + FieldLabel(route.Groups[2].Value) : "");
        return Fields.TryGetValue(field, out var t) ? t.ToString() : field;
    }
}
