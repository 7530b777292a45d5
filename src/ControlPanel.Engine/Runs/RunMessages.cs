using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Runs;

/// <summary>What runs say about themselves in their records: state history, run and stage errors.</summary>
static class RunMessages
{
    public static readonly MessageTemplate CreatedBy = new("run.created-by", "created by {user}");
    public static readonly MessageTemplate ResumeBy = new("run.resume-by", "resume by {user}");
    public static readonly MessageTemplate RerunFromBy = new("run.rerun-from-by", "re-run from {stage} by {user}");
    public static readonly MessageTemplate RerunOnlyBy = new("run.rerun-only-by", "re-run only {stage} by {user}");
    public static readonly MessageTemplate AttemptOn = new("run.attempt-on", "attempt {attempt} on {host}");
    public static readonly MessageTemplate Attempt = new("run.attempt", "attempt {attempt}");
    public static readonly MessageTemplate StageStopped = new("run.stage-stopped", "{stage}: {error}");
    public static readonly MessageTemplate NotEveryStage = new("run.not-every-stage", "not every stage has run: {stages}; resume to finish");
    public static readonly MessageTemplate ProcessStopped = new("run.process-stopped", "the process running it stopped; resume to continue");
    public static readonly MessageTemplate PanelStopped = new("run.panel-stopped", "the panel stopped while running it; it resumes when the panel starts again");
    public static readonly MessageTemplate Cancelled = new("run.cancelled", "cancelled");
    public static readonly MessageTemplate TimedOut = new("stage.timed-out", "timed out after {minutes} min");
    public static readonly MessageTemplate WillRetry = new("stage.will-retry", "{error} (will retry)");
}
