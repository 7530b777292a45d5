namespace ControlPanel.Web.Audit;

/// <summary>The audit actions, one name each, so the log can be filtered reliably.</summary>
public static class AuditActions
{
    public const string Setup = "setup";
    public const string LoginOk = "login";
    public const string LoginFailed = "login-failed";
    public const string LoginThrottled = "login-throttled";
    public const string Logout = "logout";
    public const string SessionEnd = "session-end";
    public const string RunStart = "run-start";
    public const string RunCancel = "run-cancel";
    public const string RunRerun = "run-rerun";
    public const string RunDelete = "run-delete";
    public const string SecretReveal = "secret-reveal";
    public const string SecretRevealRefused = "secret-reveal-refused";
    public const string SettingsSave = "settings-save";
    public const string TotpEnable = "totp-enable";
    public const string TotpDisable = "totp-disable";
    public const string RecoveryCodesNew = "recovery-codes-new";
    public const string PasswordChange = "password-change";
    public const string PasswordChangeRefused = "password-change-refused";
    public const string HostAdd = "host-add";
    public const string HostTrust = "host-trust";
    public const string HostTest = "host-test";
    public const string HostRemove = "host-remove";
    public const string BatchRerun = "batch-rerun";
    public const string BatchCancel = "batch-cancel";
    public const string CertIssue = "cert-issue";
    public const string CertRenew = "cert-renew";
    public const string ProxyApply = "proxy-apply";
    public const string CacheInstall = "cache-install";
    public const string CacheUninstall = "cache-uninstall";
    public const string MirrorsSet = "mirrors-set";
    public const string MirrorsReset = "mirrors-reset";
    public const string FleetStart = "fleet-start";
}
