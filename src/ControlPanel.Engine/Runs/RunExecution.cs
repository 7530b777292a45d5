using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// One execution of a run: walks its stages, records every transition, retries transient failures. Stopped by its
/// cancellation, it ends Cancelled, or Interrupted (resumable) when the process is shutting down. Every record after
/// its start is written only while the run is still this execution's (<see cref="SaveAsync"/>).
/// </summary>
sealed class RunExecution(
    EngineOptions options, LogStore logs, LogHub hub, long runId, Plan plan, PlanRequest request,
    IHost host, RerunMode mode, int? target, bool panelRun, Func<bool> stopping, CancellationToken cancellation)
{
    readonly SecretMasker masker = request.Masker();
    readonly ProgressFile progress = new(options.DataDirectory);
    long seq;
    int attempt;

    /// <summary>Thrown by <see cref="SaveAsync"/> when the run is no longer this execution's.</summary>
    sealed class FencedOffException : Exception;

    /// <summary>How the run ended; null when another execution took it over meanwhile (nothing more was recorded here).</summary>
    public async Task<RunState?> ExecuteAsync()
    {
        try
        {
            return await WalkAsync();
        }
        catch (FencedOffException)
        {
            hub.NotifyRunChanged(runId);
            return null;
        }
    }

    async Task<RunState> WalkAsync()
    {
        seq = logs.LastSeq(runId);
        await using (var db = ControlPanelDb.Open(options.DataDirectory))
        {
            var run = await db.Runs.SingleAsync(r => r.Id == runId);
            run.State = RunState.Running;
            run.Attempts++;
            // The first attempt's start: the run's wall time counts from there (RunTimes); each attempt's own is in its events.
            run.StartedAt ??= DateTime.UtcNow;
            run.EndedAt = null;
            run.Error = null;
            run.ErrorJson = null;
            db.RunEvents.Add(Event(null, RunState.Running, RunMessages.AttemptOn.With(("attempt", run.Attempts), ("host", host.Key))));
            await db.SaveChangesAsync();
            attempt = run.Attempts;
        }
        hub.NotifyRunChanged(runId);

        RunState? stoppedBy = null;
        UserMessage? error = null;
        for (var i = mode == RerunMode.Only ? target!.Value : 0; i < plan.Stages.Count; i++)
        {
            if (mode == RerunMode.Only && i != target) break;
            var state = await CurrentState(i);
            if (state.IsDone() && mode != RerunMode.Only) continue;
            var (outcome, stageError) = await RunStageAsync(i);
            if (outcome is RunState.Failed or RunState.Cancelled or RunState.Interrupted)
            {
                stoppedBy = outcome;
                error = outcome == RunState.Interrupted ? stageError
                    : RunMessages.StageStopped.With(("stage", plan.Stages[i].Name), ("error", stageError!));
                break;
            }
        }

        await using (var db = ControlPanelDb.Open(options.DataDirectory))
        {
            var run = await db.Runs.Include(r => r.Stages).SingleAsync(r => r.Id == runId);
            // A one-stage re-run leaves the other stages as they were: one that failed or was cancelled still stands and
            // is the run's state; only stages that never ran make it unfinished (resume runs them).
            if (stoppedBy is null && run.Stages.OrderBy(s => s.Index).FirstOrDefault(s => s.State is RunState.Failed or RunState.Cancelled) is { } stopped)
            {
                stoppedBy = stopped.State;
                error = RunMessages.StageStopped.With(("stage", stopped.Name), ("error", UserMessage.FromJson(stopped.ErrorJson) ?? UserMessage.Verbatim(stopped.Error ?? "")));
            }
            else if (stoppedBy is null && run.Stages.Any(s => !s.State.IsDone()))
            {
                stoppedBy = RunState.Interrupted;
                error = RunMessages.NotEveryStage.With(("stages", string.Join(", ", run.Stages.Where(s => !s.State.IsDone()).Select(s => s.Name))));
            }
            run.State = stoppedBy ?? RunState.Succeeded;
            run.Error = error?.Text;
            run.ErrorJson = error?.ToJson();
            run.EndedAt = DateTime.UtcNow;
            run.CancelRequested = false;
            db.RunEvents.Add(Event(null, run.State, error));
            await SaveAsync(db);
            hub.NotifyRunChanged(runId);
            return run.State;
        }
    }

    async Task<RunState> CurrentState(int index)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        return await db.StageRuns.Where(s => s.RunId == runId && s.Index == index).Select(s => s.State).SingleAsync();
    }

    async Task<(RunState, UserMessage?)> RunStageAsync(int index)
    {
        var stage = plan.Stages[index];
        while (true)
        {
            var attempt = await Transition(index, RunState.Running, null, null);
            using var log = new StageLogWriter(logs.StageFile(runId, index, stage.Name), runId, index, () => Interlocked.Increment(ref seq), masker, hub);
            log.Info($"== {stage.Title} (attempt {attempt}) on {host.Key}");
            using var stageCts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            stageCts.CancelAfter(stage.Timeout);
            using var quiet = new QuietWatch(log, options.QuietAfter);
            var context = new StageContext(host, log, options.DataDirectory, stageCts.Token, quiet);

            RunState outcome;
            UserMessage? error = null;
            UserMessage? reason = null;
            try
            {
                var check = await stage.CheckAsync(context);
                reason = check.Why;
                if (check.Done)
                {
                    log.Info("already in place: " + check.Reason);
                    outcome = RunState.Skipped;
                }
                else
                {
                    log.Info("to do: " + check.Reason);
                    await stage.ApplyAsync(context);
                    await stage.VerifyAsync(context);
                    outcome = RunState.Succeeded;
                }
            }
            catch (Exception) when (cancellation.IsCancellationRequested)
            {
                (outcome, error) = Stopped();
            }
            catch (Exception) when (stageCts.IsCancellationRequested)
            {
                outcome = RunState.Failed;
                error = RunMessages.TimedOut.With(("minutes", stage.Timeout.TotalMinutes.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)));
            }
            catch (TransientStageException e) when (attempt < stage.MaxAttempts)
            {
                var delay = options.RetryBaseDelay * Math.Pow(2, attempt - 1);
                log.Warn($"{masker.Apply(e.Message)}; attempt {attempt} of {stage.MaxAttempts}, retrying in {delay.TotalSeconds:0.#} s");
                log.Dispose();
                await Transition(index, RunState.Failed, e.UserMessage.Map(masker.Apply), reason, retrying: true);
                try { await Task.Delay(delay, cancellation); }
                catch (OperationCanceledException)
                {
                    var (state, why) = Stopped();
                    return await Finish(index, state, why, reason, 0);
                }
                continue;
            }
            catch (Exception e)
            {
                outcome = RunState.Failed;
                error = e is IUserFacingException f ? f.UserMessage
                    : UserMessage.Verbatim($"{e.GetType().Name}: {e.Message}");
            }
            error = error?.Map(masker.Apply);
            if (error is not null) log.Warn(outcome == RunState.Failed ? "failed: " + error.Text : error.Text);
            var lines = log.Lines;
            log.Dispose();
            return await Finish(index, outcome, error, reason, lines);
        }
    }

    async Task<(RunState, UserMessage?)> Finish(int index, RunState outcome, UserMessage? error, UserMessage? reason, long lines)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var run = await db.Runs.Include(r => r.Stages).SingleAsync(r => r.Id == runId);
        var s = run.Stages.Single(x => x.Index == index);
        s.State = outcome;
        SetError(s, error);
        if (reason is not null) SetReason(s, reason);
        s.EndedAt = DateTime.UtcNow;
        s.LogLines += lines;
        db.RunEvents.Add(Event(index, outcome, error ?? reason));
        await SaveAsync(db);
        progress.StageFinished(run, s, run.Stages.Count, run.Stages.Count(x => x.State.IsDone()));
        hub.NotifyRunChanged(runId);
        return (outcome, error);
    }

    /// <summary>Moves a stage to a state; returns its attempt number.</summary>
    async Task<int> Transition(int index, RunState state, UserMessage? error, UserMessage? reason, bool retrying = false)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var s = await db.StageRuns.SingleAsync(x => x.RunId == runId && x.Index == index);
        if (state == RunState.Running)
        {
            s.Attempts++;
            s.StartedAt = DateTime.UtcNow;
            s.EndedAt = null;
            SetError(s, null);
        }
        else SetError(s, error);
        s.State = state;
        if (reason is not null) SetReason(s, reason);
        db.RunEvents.Add(Event(index, state, retrying ? RunMessages.WillRetry.With(("error", error!)) : state == RunState.Running ? RunMessages.Attempt.With(("attempt", s.Attempts)) : error));
        await SaveAsync(db);
        hub.NotifyRunChanged(runId);
        return s.Attempts;
    }

    /// <summary>
    /// Saves only while the run is still this execution's: Running, at this attempt, claimed by no newer job. A node
    /// that lost the host lock may still write (a stage deaf to its cancellation, the database back after a cut) after
    /// another node marked the run Interrupted, queued its resume or counted up its attempt: those writes are dropped
    /// and this execution ends at once. The check holds the run's row for the transaction, so another node's takeover
    /// is wholly before or after it.
    /// </summary>
    async Task SaveAsync(ControlPanelDb db)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var ours = await db.Runs.Where(r => r.Id == runId && r.State == RunState.Running && r.Attempts == attempt && r.JobTicket == null)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Attempts, attempt));
        if (ours == 0) throw new FencedOffException();
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Why the run stops when its cancellation fires: asked by a user, or the process is going away.</summary>
    (RunState, UserMessage) Stopped() => stopping()
        ? (RunState.Interrupted, RunEngine.StoppedMessage(panelRun))
        : (RunState.Cancelled, RunMessages.Cancelled.Message());

    RunEventRecord Event(int? stageIndex, RunState state, UserMessage? message) =>
        new() { RunId = runId, StageIndex = stageIndex, State = state, At = DateTime.UtcNow, Message = message?.Text, MessageJson = message?.ToJson() };

    static void SetError(StageRunRecord s, UserMessage? error)
    {
        s.Error = error?.Text;
        s.ErrorJson = error?.ToJson();
    }

    static void SetReason(StageRunRecord s, UserMessage reason)
    {
        s.CheckReason = reason.Text;
        s.CheckReasonJson = reason.ToJson();
    }
}
