namespace ControlPanel.Engine.Data;

/// <summary>
/// One key of the key ring that protects sign-in cookies and antiforgery tokens (an XML element as ASP.NET's data
/// protection writes it), kept in the database when several nodes serve one panel (PostgreSQL only: a lone panel on
/// SQLite keeps them in DATA/keys).
/// </summary>
public sealed class KeyRingRecord
{
    public long Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
