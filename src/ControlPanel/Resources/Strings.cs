using ControlPanel.Engine.Stages;
using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

/// <summary>
/// Every string of the panel by name: the text is in Strings.resx (English) and Strings.zh-Hans.resx (Simplified
/// Chinese), the one place to translate; a member here names its key, so a page cannot use a string that does not exist.
/// The engine's messages are translated by their keys (EngineMessages.zh-Hans.resx, Strings.Engine.cs); command output
/// and other verbatim text stay as written.
/// </summary>
public static partial class S
{
    // Navigation and layout
    public static readonly Text NavDashboard = new(nameof(NavDashboard));
    public static readonly Text NavInstall = new(nameof(NavInstall));
    public static readonly Text NavRuns = new(nameof(NavRuns));
    public static readonly Text NavUninstall = new(nameof(NavUninstall));
    public static readonly Text NavSettings = new(nameof(NavSettings));
    public static readonly Text NavAudit = new(nameof(NavAudit));
    public static readonly Text NavSessions = new(nameof(NavSessions));
    public static readonly Text NavCertificates = new(nameof(NavCertificates));
    public static readonly Text NavProxy = new(nameof(NavProxy));
    public static readonly Text Menu = new(nameof(Menu));
    public static readonly Text ThemeDark = new(nameof(ThemeDark));
    public static readonly Text ThemeLight = new(nameof(ThemeLight));
    public static readonly Text Logout = new(nameof(Logout));
    public static readonly Text NotFound = new(nameof(NotFound));
    public static readonly Text NotFoundTitle = new(nameof(NotFoundTitle));
    // The reconnect dialog (Components/Layout/ReconnectModal.razor): Blazor's own is English only.
    public static readonly Text ReconnectTrying = new(nameof(ReconnectTrying));
    public static readonly Text ReconnectFailed = new(nameof(ReconnectFailed));
    public static readonly Text ReconnectRetry = new(nameof(ReconnectRetry));
    public static readonly Text ReconnectRejected = new(nameof(ReconnectRejected));
    public static readonly Text ReconnectReload = new(nameof(ReconnectReload));
    public static readonly Text ListFilter = new(nameof(ListFilter));
    public static readonly Text ListCount = new(nameof(ListCount));
    public static readonly Text ListPrevious = new(nameof(ListPrevious));
    public static readonly Text ListNext = new(nameof(ListNext));
    public static readonly Text JustNow = new(nameof(JustNow));
    public static readonly Text Ago = new(nameof(Ago));
    public static readonly Text InFuture = new(nameof(InFuture));
    public static readonly Text Seconds = new(nameof(Seconds));
    public static readonly Text Minutes = new(nameof(Minutes));
    public static readonly Text Hours = new(nameof(Hours));
    public static readonly Text Days = new(nameof(Days));

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

    public static readonly Text Loading = new(nameof(Loading));

    // Sign-in and first start
    public static readonly Text LoginTitle = new(nameof(LoginTitle));
    public static readonly Text SignIn = new(nameof(SignIn));
    public static readonly Text UserName = new(nameof(UserName));
    public static readonly Text Password = new(nameof(Password));
    public static readonly Text TotpCode = new(nameof(TotpCode));
    public static readonly Text TotpCodeOrRecovery = new(nameof(TotpCodeOrRecovery));
    public static readonly Text TotpCodeHint = new(nameof(TotpCodeHint));
    public static readonly Text LoginWrong = new(nameof(LoginWrong));
    public static readonly Text LoginCodeRequired = new(nameof(LoginCodeRequired));
    public static readonly Text LoginThrottled = new(nameof(LoginThrottled));
    public static readonly Text LoginNotSetUp = new(nameof(LoginNotSetUp));
    public static readonly Text SetupTitle = new(nameof(SetupTitle));
    public static readonly Text SetupIntro = new(nameof(SetupIntro));
    public static readonly Text SetupInvalid = new(nameof(SetupInvalid));
    public static readonly Text SetupSubmit = new(nameof(SetupSubmit));
    public static readonly Text NewPassword = new(nameof(NewPassword));
    public static readonly Text ConfirmPassword = new(nameof(ConfirmPassword));
    public static readonly Text CurrentPassword = new(nameof(CurrentPassword));
    public static readonly Text CurrentPasswordWrong = new(nameof(CurrentPasswordWrong));
    public static readonly Text PasswordChangeTitle = new(nameof(PasswordChangeTitle));
    public static readonly Text PasswordChange = new(nameof(PasswordChange));
    public static readonly Text PasswordChangeHint = new(nameof(PasswordChangeHint));

    // Install form
    public static readonly Text InstallTitle = new(nameof(InstallTitle));
    public static readonly Text InstallIntro = new(nameof(InstallIntro));
    public static readonly Text FieldDomain = new(nameof(FieldDomain));
    public static readonly Text FieldEmail = new(nameof(FieldEmail));
    public static readonly Text FieldPanelType = new(nameof(FieldPanelType));
    public static readonly Text FieldProfile = new(nameof(FieldProfile));
    public static readonly Text FieldMirror = new(nameof(FieldMirror));
    public static readonly Text FieldPassword = new(nameof(FieldPassword));
    public static readonly Text ProfileHint = new(nameof(ProfileHint));
    public static readonly Text FieldRetentionDays = new(nameof(FieldRetentionDays));
    public static readonly Text RetentionHint = new(nameof(RetentionHint));
    public static readonly Text MirrorHint = new(nameof(MirrorHint));
    public static readonly Text GeneratePassword = new(nameof(GeneratePassword));
    public static readonly Text ThisMachine = new(nameof(ThisMachine));
    public static readonly Text TargetHint = new(nameof(TargetHint));
    public static readonly Text Preview = new(nameof(Preview));
    public static readonly Text StartInstall = new(nameof(StartInstall));
    public static readonly Text PreviewFirst = new(nameof(PreviewFirst));
    public static readonly Text PreviewRunning = new(nameof(PreviewRunning));
    public static readonly Text PreviewTitle = new(nameof(PreviewTitle));
    public static readonly Text PreviewIntro = new(nameof(PreviewIntro));
    public static readonly Text PreviewStale = new(nameof(PreviewStale));
    public static readonly Text PreviewTimedOut = new(nameof(PreviewTimedOut));
    public static readonly Text PreviewApply = new(nameof(PreviewApply));
    public static readonly Text PreviewSkip = new(nameof(PreviewSkip));
    public static readonly Text PreviewWouldFail = new(nameof(PreviewWouldFail));
    public static readonly Text StartBlocked = new(nameof(StartBlocked));
    public static readonly Text HostBusy = new(nameof(HostBusy));
    public static readonly Text OpenRun = new(nameof(OpenRun));

    // Uninstall
    public static readonly Text UninstallTitle = new(nameof(UninstallTitle));
    public static readonly Text UninstallIntro = new(nameof(UninstallIntro));
    public static readonly Text KeepData = new(nameof(KeepData));
    public static readonly Text KeepDataHint = new(nameof(KeepDataHint));
    public static readonly Text UninstallWillRemove = new(nameof(UninstallWillRemove));
    public static readonly Text UninstallConfirm = new(nameof(UninstallConfirm));
    public static readonly Text StartUninstall = new(nameof(StartUninstall));

    // Runs
    public static readonly Text RunTitle = new(nameof(RunTitle));
    public static readonly Text RunMissing = new(nameof(RunMissing));
    public static readonly Text RunHost = new(nameof(RunHost));
    public static readonly Text RunRequestedBy = new(nameof(RunRequestedBy));
    public static readonly Text RunJob = new(nameof(RunJob));
    public static readonly Text JobsDashboardLink = new(nameof(JobsDashboardLink));
    public static readonly Text RunCreated = new(nameof(RunCreated));
    public static readonly Text PasswordShownOnce = new(nameof(PasswordShownOnce));
    public static readonly Text StagesDone = new(nameof(StagesDone));
    public static readonly Text Cancel = new(nameof(Cancel));
    public static readonly Text CancelAsked = new(nameof(CancelAsked));
    public static readonly Text RetryFailed = new(nameof(RetryFailed));
    public static readonly Text Resume = new(nameof(Resume));
    public static readonly Text Requeue = new(nameof(Requeue));
    public static readonly Text Delete = new(nameof(Delete));
    public static readonly Text DeleteConfirm = new(nameof(DeleteConfirm));
    public static readonly Text Back = new(nameof(Back));
    public static readonly Text Stages = new(nameof(Stages));
    public static readonly Text Log = new(nameof(Log));
    public static readonly Text History = new(nameof(History));
    public static readonly Text WholeRun = new(nameof(WholeRun));
    public static readonly Text RerunOnly = new(nameof(RerunOnly));
    public static readonly Text RerunOnlyHint = new(nameof(RerunOnlyHint));
    public static readonly Text RerunFrom = new(nameof(RerunFrom));
    public static readonly Text RerunFromHint = new(nameof(RerunFromHint));
    public static readonly Text NoRuns = new(nameof(NoRuns));
    public static readonly Text AllRuns = new(nameof(AllRuns));
    public static readonly Text LogFollow = new(nameof(LogFollow));
    public static readonly Text LogSearch = new(nameof(LogSearch));
    public static readonly Text LogLines = new(nameof(LogLines));
    public static readonly Text LogMatches = new(nameof(LogMatches));
    public static readonly Text LogDownload = new(nameof(LogDownload));

    // Tables
    public static readonly Text ColStage = new(nameof(ColStage));
    public static readonly Text ColState = new(nameof(ColState));
    public static readonly Text ColAttempts = new(nameof(ColAttempts));
    public static readonly Text AttemptTimes = new(nameof(AttemptTimes));
    public static readonly Text ColDuration = new(nameof(ColDuration));
    public static readonly Text ColLines = new(nameof(ColLines));
    public static readonly Text ColCheck = new(nameof(ColCheck));
    public static readonly Text ColTime = new(nameof(ColTime));
    public static readonly Text ColMessage = new(nameof(ColMessage));
    public static readonly Text ColKind = new(nameof(ColKind));
    public static readonly Text ColStages = new(nameof(ColStages));
    public static readonly Text ColError = new(nameof(ColError));
    public static readonly Text ColNode = new(nameof(ColNode));
    public static readonly Text ColUser = new(nameof(ColUser));
    public static readonly Text ColAction = new(nameof(ColAction));
    public static readonly Text ColDetail = new(nameof(ColDetail));
    public static readonly Text ColAddress = new(nameof(ColAddress));
    public static readonly Text ColSignedIn = new(nameof(ColSignedIn));
    public static readonly Text ColLastSeen = new(nameof(ColLastSeen));
    public static readonly Text ColBrowser = new(nameof(ColBrowser));

    // Sessions
    public static readonly Text SessionsNote = new(nameof(SessionsNote));
    public static readonly Text ThisSession = new(nameof(ThisSession));
    public static readonly Text EndSession = new(nameof(EndSession));

    // Dashboard
    public static readonly Text InstallState = new(nameof(InstallState));
    public static readonly Text NotInstalledYet = new(nameof(NotInstalledYet));
    public static readonly Text ActiveRun = new(nameof(ActiveRun));
    public static readonly Text HostFacts = new(nameof(HostFacts));
    public static readonly Text HostName = new(nameof(HostName));
    public static readonly Text HostOs = new(nameof(HostOs));
    public static readonly Text HostKernel = new(nameof(HostKernel));
    public static readonly Text HostCpus = new(nameof(HostCpus));
    public static readonly Text HostMemory = new(nameof(HostMemory));
    public static readonly Text Services = new(nameof(Services));
    public static readonly Text ServicesNoSystemd = new(nameof(ServicesNoSystemd));
    public static readonly Text ServiceNotInstalled = new(nameof(ServiceNotInstalled));
    public static readonly Text ServiceActive = new(nameof(ServiceActive));
    public static readonly Text HostLoad = new(nameof(HostLoad));
    public static readonly Text MemoryFree = new(nameof(MemoryFree));
    public static readonly Text HostDisk = new(nameof(HostDisk));
    public static readonly Text DiskFree = new(nameof(DiskFree));

    // Settings
    public static readonly Text SettingsPanel = new(nameof(SettingsPanel));
    public static readonly Text ListenAddress = new(nameof(ListenAddress));
    public static readonly Text ListenHint = new(nameof(ListenHint));
    public static readonly Text DataDirectory = new(nameof(DataDirectory));
    public static readonly Text PlansInUse = new(nameof(PlansInUse));
    public static readonly Text SettingsDefaults = new(nameof(SettingsDefaults));
    public static readonly Text Save = new(nameof(Save));
    public static readonly Text Saved = new(nameof(Saved));
    public static readonly Text TwoFactor = new(nameof(TwoFactor));
    public static readonly Text TwoFactorOn = new(nameof(TwoFactorOn));
    public static readonly Text TwoFactorOff = new(nameof(TwoFactorOff));
    public static readonly Text TwoFactorEnable = new(nameof(TwoFactorEnable));
    public static readonly Text TwoFactorDisable = new(nameof(TwoFactorDisable));
    public static readonly Text TwoFactorScan = new(nameof(TwoFactorScan));
    public static readonly Text RevealPassword = new(nameof(RevealPassword));
    public static readonly Text RevealConfirm = new(nameof(RevealConfirm));
    public static readonly Text RevealShown = new(nameof(RevealShown));
    public static readonly Text RevealWrongPassword = new(nameof(RevealWrongPassword));
    public static readonly Text RevealGone = new(nameof(RevealGone));
    public static readonly Text TwoFactorQr = new(nameof(TwoFactorQr));
    public static readonly Text TwoFactorSecret = new(nameof(TwoFactorSecret));
    public static readonly Text TwoFactorConfirm = new(nameof(TwoFactorConfirm));
    public static readonly Text RecoveryCodesTitle = new(nameof(RecoveryCodesTitle));
    public static readonly Text RecoveryCodesSave = new(nameof(RecoveryCodesSave));
    public static readonly Text RecoveryCodesLeft = new(nameof(RecoveryCodesLeft));
    public static readonly Text RecoveryCodesNew = new(nameof(RecoveryCodesNew));
    public static readonly Text RecoveryCodesReplaced = new(nameof(RecoveryCodesReplaced));
    public static readonly Text TwoFactorWrong = new(nameof(TwoFactorWrong));

    // Certificates
    public static readonly Text CertTitle = new(nameof(CertTitle));
    public static readonly Text CertIntro = new(nameof(CertIntro));
    public static readonly Text CertNone = new(nameof(CertNone));
    public static readonly Text ColDomains = new(nameof(ColDomains));
    public static readonly Text ColExpires = new(nameof(ColExpires));
    public static readonly Text CertCa = new(nameof(CertCa));
    public static readonly Text CertAccount = new(nameof(CertAccount));
    public static readonly Text CertNoAccount = new(nameof(CertNoAccount));
    public static readonly Text CertLastError = new(nameof(CertLastError));
    public static readonly Text CertIssuer = new(nameof(CertIssuer));
    public static readonly Text CertDaysLeft = new(nameof(CertDaysLeft));
    public static readonly Text DirectoryStagingHint = new(nameof(DirectoryStagingHint));
    public static readonly Text DirectoryProductionHint = new(nameof(DirectoryProductionHint));
    public static readonly Text CertExpired = new(nameof(CertExpired));
    public static readonly Text CertRenewalFailing = new(nameof(CertRenewalFailing));
    public static readonly Text CertNoneManaged = new(nameof(CertNoneManaged));
    public static readonly Text LastRunPerHost = new(nameof(LastRunPerHost));
    public static readonly Text CertRenewFrom = new(nameof(CertRenewFrom));
    public static readonly Text CertFailures = new(nameof(CertFailures));
    public static readonly Text CertRenewNow = new(nameof(CertRenewNow));
    public static readonly Text CertIssueTitle = new(nameof(CertIssueTitle));
    public static readonly Text CertIssue = new(nameof(CertIssue));
    public static readonly Text FieldDomains = new(nameof(FieldDomains));
    public static readonly Text DomainsHint = new(nameof(DomainsHint));
    public static readonly Text CertEmailHint = new(nameof(CertEmailHint));
    public static readonly Text FieldDirectory = new(nameof(FieldDirectory));
    public static readonly Text DirectoryCustom = new(nameof(DirectoryCustom));
    public static readonly Text FieldDirectoryUrl = new(nameof(FieldDirectoryUrl));
    public static readonly Text FieldDirectoryCa = new(nameof(FieldDirectoryCa));
    public static readonly Text DirectoryCaHint = new(nameof(DirectoryCaHint));
    public static readonly Text FieldEabKid = new(nameof(FieldEabKid));
    public static readonly Text FieldEabHmac = new(nameof(FieldEabHmac));
    public static readonly Text EabHint = new(nameof(EabHint));
    public static readonly Text FieldHttpPort = new(nameof(FieldHttpPort));
    public static readonly Text HttpPortHint = new(nameof(HttpPortHint));
    public static readonly Text FieldCertDir = new(nameof(FieldCertDir));

    // Proxy
    public static readonly Text ProxyTitle = new(nameof(ProxyTitle));
    public static readonly Text ProxyIntro = new(nameof(ProxyIntro));
    public static readonly Text ProxyFiles = new(nameof(ProxyFiles));
    public static readonly Text HstsOn = new(nameof(HstsOn));
    public static readonly Text HstsHint = new(nameof(HstsHint));
    public static readonly Text ProxyRoutes = new(nameof(ProxyRoutes));
    public static readonly Text RouteN = new(nameof(RouteN));
    public static readonly Text RoutePath = new(nameof(RoutePath));
    public static readonly Text RouteUpstream = new(nameof(RouteUpstream));
    public static readonly Text RouteHostHeader = new(nameof(RouteHostHeader));
    public static readonly Text RouteHttpsRedirects = new(nameof(RouteHttpsRedirects));
    public static readonly Text RouteStartPage = new(nameof(RouteStartPage));
    public static readonly Text HostClient = new(nameof(HostClient));
    public static readonly Text HostUpstream = new(nameof(HostUpstream));
    public static readonly Text RouteRemove = new(nameof(RouteRemove));
    public static readonly Text RouteAdd = new(nameof(RouteAdd));
    public static readonly Text ProxyPreview = new(nameof(ProxyPreview));
    public static readonly Text ProxyApply = new(nameof(ProxyApply));
    public static readonly Text ProxyPreviewFirst = new(nameof(ProxyPreviewFirst));
    public static readonly Text ProxyDiff = new(nameof(ProxyDiff));
    public static readonly Text ProxyNoChange = new(nameof(ProxyNoChange));
    public static readonly Text ProxyApplied = new(nameof(ProxyApplied));

    /// <summary>A certificate's state (CertificateStatus.State).</summary>
    public static string CertStateName(string state) => PanelStrings.Named("CertStates", state)?.ToString() ?? state;
    /// <summary>A container runtime choice in words ("both": "containerd and Docker"); a runtime's own name stays itself.</summary>
    public static string RuntimeName(string runtime) => PanelStrings.Named("Runtimes", runtime)?.ToString() ?? runtime;
    /// <summary>A CA preset as people call it ("Let's Encrypt (production)"); a directory URL stays itself.</summary>
    public static string CertDirectoryName(string directory) => PanelStrings.Named("CertDirectories", directory)?.ToString() ?? directory;

    /// <summary>A run or stage state's name (States.* in the resource files).</summary>
    public static Text StateName(RunState state) => new("States." + state);

    /// <summary>A plan kind's name; kinds added later by other features show as their machine name until translated here.</summary>
    public static string KindName(string kind) => PanelStrings.Named("Kinds", kind)?.ToString() ?? kind;

    /// <summary>
    /// A stage's title in the current language, by its stable name. In English the engine's own title is shown (it
    /// can say more, e.g. "(data kept)"); a "{0}" takes the version the engine's title names (" 1.7.27"; nothing when it names none). Unknown stages keep the engine's title.
    /// </summary>
    public static string StageTitle(string name, string engineTitle)
    {
        if (!PanelCultures.IsChinese || PanelStrings.Named("StageTitles", name) is not { } t) return engineTitle;
        return t.Zh.Contains("{0}") ? string.Format(t.Zh, VersionIn(engineTitle)) : t.Zh;
    }

    /// <summary>Every stage name with a translated title (for the tests).</summary>
    public static IReadOnlyCollection<string> TranslatedStages => PanelStrings.NamesIn("StageTitles");

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
        ["NewPassword"] = NewPassword,
        ["RepeatPassword"] = ConfirmPassword,
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
