using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Data;

/// <summary>A run of a plan on one host.</summary>
public sealed class RunRecord
{
    public long Id { get; set; }
    public required string Kind { get; set; }
    /// <summary>How to reach the host again ("local", "ssh://root@10.0.0.5:22"), so another process can resume.</summary>
    public required string HostSpec { get; set; }
    public required string HostKey { get; set; }
    /// <summary>The inventory name of the host, when the run was started for a named host.</summary>
    public string? HostName { get; set; }
    /// <summary>The batch this run belongs to, when the plan was started on several hosts at once.</summary>
    public long? BatchId { get; set; }
    /// <summary>The <see cref="ControlPanel.Engine.Stages.IPlanFactory.Name"/> of the plans that started the run; a re-run uses only those.</summary>
    public string Catalog { get; set; } = ControlPanelDb.StackCatalog;
    public RunState State { get; set; }
    /// <summary>The plan's inputs without secrets, as JSON.</summary>
    public required string InputsJson { get; set; }
    public string? RequestedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? Error { get; set; }
    /// <summary>The error's key and arguments (UserMessage JSON) for the panel to translate; null for older rows and verbatim text.</summary>
    public string? ErrorJson { get; set; }
    /// <summary>How many times the run was started (first start, resumes and re-runs).</summary>
    public int Attempts { get; set; }
    /// <summary>Set by any process to ask the one executing the run to stop it.</summary>
    public bool CancelRequested { get; set; }
    /// <summary>The Hangfire queue of the run's latest job ("panel", or a CLI process's own): who executes it.</summary>
    public string? JobQueue { get; set; }
    /// <summary>The Hangfire id of the run's latest job, for the link to the jobs dashboard.</summary>
    public string? JobId { get; set; }
    /// <summary>Issued when the run is queued, consumed by the job that executes it; null while running and after.</summary>
    public string? JobTicket { get; set; }
    /// <summary>The node (a panel node's name, or the machine of a CLI) that took the run's latest job.</summary>
    public string? Node { get; set; }
    public List<StageRunRecord> Stages { get; set; } = new();
}

/// <summary>One stage of a run: state, timing, attempts, error and where its log is.</summary>
public sealed class StageRunRecord
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int Index { get; set; }
    public required string Name { get; set; }
    public required string Title { get; set; }
    public RunState State { get; set; }
    public int Attempts { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public string? Error { get; set; }
    public string? ErrorJson { get; set; }
    /// <summary>What the check said (why skipped, or why work was needed).</summary>
    public string? CheckReason { get; set; }
    /// <summary>Key and arguments of <see cref="Error"/> and <see cref="CheckReason"/> (UserMessage JSON); null for older rows and verbatim text.</summary>
    public string? CheckReasonJson { get; set; }
    public required string LogFile { get; set; }
    public long LogLines { get; set; }
}

/// <summary>The state history of a run and its stages (what Hangfire's dashboard shows as a job's states).</summary>
public sealed class RunEventRecord
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int? StageIndex { get; set; }
    public RunState State { get; set; }
    public DateTime At { get; set; }
    public string? Message { get; set; }
    public string? MessageJson { get; set; }
}
