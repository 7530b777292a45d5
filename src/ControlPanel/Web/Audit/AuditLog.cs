using ControlPanel.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Web.Audit;

/// <summary>Writes and reads the audit log: who did what, when, from where. Never holds secrets.</summary>
public sealed class AuditLog(PanelSettings settings)
{
    public async Task WriteAsync(string? user, string action, string? detail = null, string? remoteAddress = null)
    {
        await using var db = ControlPanelDb.Open(settings.DataDirectory);
        db.AuditLog.Add(new AuditRecord
        {
            At = DateTime.UtcNow, User = string.IsNullOrEmpty(user) ? "-" : user, Action = action, Detail = detail, RemoteAddress = remoteAddress,
        });
        await db.SaveChangesAsync();
    }

    public async Task<List<AuditRecord>> LatestAsync(int count)
    {
        await using var db = ControlPanelDb.Open(settings.DataDirectory);
        return await db.AuditLog.OrderByDescending(a => a.Id).Take(count).ToListAsync();
    }
}

/// <summary>The audit actions, one name each, so the log can be filtered reliably.</summary>
public static class AuditActions
{
    public const string Setup = "setup";
    public const string LoginOk = "login";
    public const string LoginFailed = "login-failed";
    public const string LoginLocked = "login-locked";
    public const string Logout = "logout";
    public const string RunStart = "run-start";
    public const string RunCancel = "run-cancel";
    public const string RunRerun = "run-rerun";
    public const string RunDelete = "run-delete";
    public const string SettingsSave = "settings-save";
    public const string TotpEnable = "totp-enable";
    public const string TotpDisable = "totp-disable";
    public const string HostAdd = "host-add";
    public const string HostTrust = "host-trust";
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
