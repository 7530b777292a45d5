using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Inventory;

/// <summary>The panel's host inventory in SQLite, shared by the CLI and the panel.</summary>
public sealed class InventoryStore(string dataDirectory)
{
    static readonly MessageTemplate NameTaken = new("input.inventory-name-taken", "is already in the inventory");
    static readonly MessageTemplate AddressTaken = new("input.inventory-address-taken", "is already in the inventory as {name}");
    static readonly MessageTemplate HostDiffers = new("input.inventory-host-differs", "is already in the inventory as {spec} (key {key}); remove it first to change it");

    public async Task<IReadOnlyList<HostRecord>> ListAsync(CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Hosts.AsNoTracking().OrderBy(h => h.Name).ToListAsync(ct);
    }

    public async Task<HostRecord?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Hosts.AsNoTracking().SingleOrDefaultAsync(h => h.Name == name, ct);
    }

    public async Task<HostRecord> GetAsync(string field, string name, CancellationToken ct = default) =>
        await FindAsync(name, ct) ?? throw new InputException(field, name, InputReasons.NotInInventory.Message());

    public async Task<HostRecord> AddAsync(InventoryHost host, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        if (await db.Hosts.AnyAsync(h => h.Name == host.Name, ct))
            throw new InputException("NAME", host.Name, NameTaken.Message());
        if (await db.Hosts.FirstOrDefaultAsync(h => h.User == host.Target.User && h.Address == host.Target.Address && h.Port == host.Target.Port, ct) is { } same)
            throw new InputException("ADDRESS", $"{host.Target.User}@{host.Target.Address}:{host.Target.Port}", AddressTaken.With(("name", same.Name)));
        var record = new HostRecord
        {
            Name = host.Name, User = host.Target.User, Address = host.Target.Address, Port = host.Target.Port,
            KeyPath = host.KeyPath, Labels = string.Join(',', host.Labels), CreatedAt = DateTime.UtcNow,
        };
        db.Hosts.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>Adds the hosts of an inventory file that are not there yet; a name already there must describe the same host.</summary>
    public async Task<int> ImportAsync(IReadOnlyList<InventoryHost> hosts, CancellationToken ct = default)
    {
        var added = 0;
        foreach (var host in hosts)
        {
            if (await FindAsync(host.Name, ct) is { } existing)
            {
                if (ToHost(existing).Target != host.Target || existing.KeyPath != host.KeyPath)
                    throw new InputException("inventory", host.Name, HostDiffers.With(("spec", ToHost(existing).Spec), ("key", existing.KeyPath ?? "default")));
                continue;
            }
            await AddAsync(host, ct);
            added++;
        }
        return added;
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        var record = await db.Hosts.SingleOrDefaultAsync(h => h.Name == name, ct);
        if (record is null) return false;
        db.Hosts.Remove(record);
        await db.SaveChangesAsync(ct);
        // Another inventory entry may reach the same sshd as a different user: its pinned key stays.
        if (!await db.Hosts.AnyAsync(h => h.Address == record.Address && h.Port == record.Port, ct))
            KnownHosts.In(dataDirectory).Forget(ToHost(record).Target);
        return true;
    }

    public async Task MarkPinnedAsync(string name, IEnumerable<string> fingerprints, CancellationToken ct = default)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        await db.Hosts.Where(h => h.Name == name).ExecuteUpdateAsync(u => u
            .SetProperty(h => h.PinnedFingerprints, string.Join(' ', fingerprints))
            .SetProperty(h => h.PinnedAt, DateTime.UtcNow), ct);
    }

    /// <summary>The private key the inventory names for a target, so a run resumed by any process uses the same key.</summary>
    public string? KeyFor(SshTarget target)
    {
        using var db = ControlPanelDb.Open(dataDirectory);
        return db.Hosts.AsNoTracking()
            .Where(h => h.User == target.User && h.Address == target.Address && h.Port == target.Port)
            .Select(h => h.KeyPath).FirstOrDefault();
    }

    public static InventoryHost ToHost(HostRecord r) =>
        new(r.Name, new SshTarget(r.User, r.Address, r.Port), r.KeyPath, r.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries));
}
