namespace ControlPanel.Engine.Data;

/// <summary>A host of the inventory. No password column, by design; the host key lives in DATA/ssh/known_hosts.</summary>
public sealed class HostRecord
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string User { get; set; }
    public required string Address { get; set; }
    public int Port { get; set; }
    public string? KeyPath { get; set; }
    /// <summary>Comma-separated labels ("pi,edge").</summary>
    public string Labels { get; set; } = "";
    /// <summary>The SHA256 fingerprints the user confirmed when the host key was pinned; null until then.</summary>
    public string? PinnedFingerprints { get; set; }
    public DateTime? PinnedAt { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One plan started on several hosts at once; each host has its own run carrying the batch id.</summary>
public sealed class BatchRecord
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    public int Parallel { get; set; }
    /// <summary>The hosts asked for, in order, as JSON [{name, spec}], so hosts still waiting (or never started) show too.</summary>
    public required string TargetsJson { get; set; }
    /// <summary>The plans that started the batch (<see cref="RunRecord.Catalog"/>).</summary>
    public string Catalog { get; set; } = ControlPanelDb.StackCatalog;
    /// <summary>The request's inputs without secrets, as JSON, so hosts that never started can be started later; null for batches made before the inputs were recorded (migration 20261122000005_RunCatalog, hand-written).</summary>
    public string? InputsJson { get; set; }
    /// <summary>Set by any process to stop the batch: its runs are cancelled and hosts still waiting never start.</summary>
    public bool CancelRequested { get; set; }
    /// <summary>Indexes into the targets of the hosts still waiting for a slot, in order, as JSON; each host's job starts the next when it ends.</summary>
    public string PendingJson { get; set; } = "[]";
    public string? RequestedBy { get; set; }
    public DateTime CreatedAt { get; set; }
}
