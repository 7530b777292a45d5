namespace ControlPanel.Engine.Data;

/// <summary>The key ring's rows in a PostgreSQL panel database (<see cref="KeyRingRecord"/>): every node reads and adds to the same ring.</summary>
public sealed class KeyRingStore(DatabaseLocation location)
{
    public IReadOnlyList<string> All()
    {
        using var db = PostgresControlPanelDb.Open(location);
        return db.KeyRing.OrderBy(k => k.Id).Select(k => k.Xml).ToList();
    }

    public void Add(string? friendlyName, string xml)
    {
        using var db = PostgresControlPanelDb.Open(location);
        db.KeyRing.Add(new KeyRingRecord { FriendlyName = friendlyName, Xml = xml });
        db.SaveChanges();
    }
}
