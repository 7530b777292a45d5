using ControlPanel.Engine.Data;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Audit;

/// <summary>The audit trail as stored: who did what, when, from where. Never holds secrets.</summary>
public sealed class AuditStore(string dataDirectory)
{
    public async Task WriteAsync(string? user, string action, string? detail = null, string? remoteAddress = null)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        db.AuditLog.Add(new AuditRecord
        {
            At = DateTime.UtcNow, User = string.IsNullOrEmpty(user) ? "-" : user, Action = action, Detail = detail, RemoteAddress = remoteAddress,
        });
        await db.SaveChangesAsync();
    }

    public async Task<List<AuditRecord>> LatestAsync(int count)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.AuditLog.AsNoTracking().OrderByDescending(a => a.Id).Take(count).ToListAsync();
    }
}
