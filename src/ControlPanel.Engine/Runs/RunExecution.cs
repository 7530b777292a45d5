using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>One execution of a run: walks its stages, records every transition, retries transient failures.</summary>
sealed class RunExecution(
    EngineOptions options, LogStore logs, LogHub hub, long runId, Plan plan, PlanRequest request,
    IHost host, RerunMode mode, int? target, CancellationToken cancellation)
{
    readonly SecretMasker masker = new(request.Secrets.Values);
    readonly ProgressFile progress = new(options.DataDirectory);
    long seq;

    public async Task<RunState> ExecuteAsync()
    {
        seq = logs.LastSeq(runId);
        await using (var db = ControlPanelDb.Open(options.DataDirectory))
        {
            var run = await db.Runs.SingleAsync(r => r.Id == runId);
            run.State = RunState.Running;
            run.Attempts++;
            run.StartedAt = DateTime.UtcNow;
            run.EndedAt = null;
            run.Error = null;
            db.RunEvents.Add(Event(null, RunState.Running, $"attempt {run.Attempts} on {host.Key}"));
            await db.SaveChangesAsync();
        }
        hub.NotifyRunChanged(runId);

        RunState? stoppedBy = null;
        string? error = null;
        for (var i = mode == RerunMode.Only ? target!.Value : 0; i < plan.Stages.Count; i++)
        {
            if (mode == RerunMode.Only && i != target) break;
            var state = await CurrentState(i);
            if (state.IsDone() && mode != RerunMode.Only) continue;
            var (outcome, stageError) = await RunStageAsync(i);
            if (outcome is RunState.Failed or RunState.Cancelled)
            {
                stoppedBy = outcome;
                error = $"{plan.Stages[i].Name}: {stageError}";
                break;
            }
        }

        await using (var db = ControlPanelDb.Open(options.DataDirectory))
        {
            var run = await db.Runs.Include(r => r.Stages).SingleAsync(r => r.Id == runId);
            if (stoppedBy is null && run.Stages.Any(s => !s.State.IsDone()))
            {
                stoppedBy = RunState.Interrupted;
                error = "not every stage has run: " + string.Join(", ", run.Stages.Where(s => !s.State.IsDone()).Select(s => s.Name)) + "; resume to finish";
            }
            run.State = stoppedBy ?? RunState.Succeeded;
            run.Error = error;
            run.EndedAt = DateTime.UtcNow;
            run.CancelRequested = false;
            db.RunEvents.Add(Event(null, run.State, error));
            await db.SaveChangesAsync();
            hub.NotifyRunChanged(runId);
            return run.State;
        }
    }

    async Task<RunState> CurrentState(int index)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        return await db.StageRuns.Where(s => s.RunId == runId && s.Index == index).Select(s => s.State).SingleAsync();
    }

    async Task<(RunState, string?)> RunStageAsync(int index)
    {
        var stage = plan.Stages[index];
        while (true)
        {
            var attempt = await Transition(index, RunState.Running, null, null);
            using var log = new StageLogWriter(logs.StageFile(runId, index, stage.Name), runId, index, () => Interlocked.Increment(ref seq), masker, hub);
            log.Info($"== {stage.Title} (attempt {attempt}) on {host.Key}");
            using var stageCts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            stageCts.CancelAfter(stage.Timeout);
            var context = new StageContext(host, request, log, options.DataDirectory, stageCts.Token);

            RunState outcome;
            string? error = null;
            string? reason = null;
            try
            {
                var check = await stage.CheckAsync(context);
                reason = check.Reason;
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
                outcome = RunState.Cancelled;
                error = "cancelled";
            }
            catch (Exception) when (stageCts.IsCancellationRequested)
            {
                outcome = RunState.Failed;
                error = $"timed out after {stage.Timeout.TotalMinutes:0.#} min";
            }
            catch (TransientStageException e) when (attempt < stage.MaxAttempts)
            {
                var delay = options.RetryBaseDelay * Math.Pow(2, attempt - 1);
                log.Warn($"{masker.Apply(e.Message)}; attempt {attempt} of {stage.MaxAttempts}, retrying in {delay.TotalSeconds:0.#} s");
                log.Dispose();
                await Transition(index, RunState.Failed, masker.Apply(e.Message), reason, retrying: true);
                try { await Task.Delay(delay, cancellation); }
                catch (OperationCanceledException) { return await Finish(index, RunState.Cancelled, "cancelled", reason, 0); }
                continue;
            }
            catch (Exception e)
            {
                outcome = RunState.Failed;
                error = e is StageFailedException or CommandFailedException or CommandTimeoutException or Validation.InputException
                    ? e.Message
                    : $"{e.GetType().Name}: {e.Message}";
            }
            if (error is not null) log.Warn((outcome == RunState.Cancelled ? "cancelled" : "failed: ") + (outcome == RunState.Cancelled ? "" : masker.Apply(error)));
            var lines = log.Lines;
            log.Dispose();
            return await Finish(index, outcome, error is null ? null : masker.Apply(error), reason, lines);
        }
    }

    async Task<(RunState, string?)> Finish(int index, RunState outcome, string? error, string? reason, long lines)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var run = await db.Runs.Include(r => r.Stages).SingleAsync(r => r.Id == runId);
        var s = run.Stages.Single(x => x.Index == index);
        s.State = outcome;
        s.Error = error;
        s.CheckReason = reason ?? s.CheckReason;
        s.EndedAt = DateTime.UtcNow;
        s.LogLines += lines;
        db.RunEvents.Add(Event(index, outcome, error ?? reason));
        await db.SaveChangesAsync();
        progress.StageFinished(run, s, run.Stages.Count, run.Stages.Count(x => x.State.IsDone()));
        hub.NotifyRunChanged(runId);
        return (outcome, error);
    }

    /// <summary>Moves a stage to a state; returns its attempt number.</summary>
    async Task<int> Transition(int index, RunState state, string? error, string? reason, bool retrying = false)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var s = await db.StageRuns.SingleAsync(x => x.RunId == runId && x.Index == index);
        if (state == RunState.Running)
        {
            s.Attempts++;
            s.StartedAt = DateTime.UtcNow;
            s.EndedAt = null;
            s.Error = null;
        }
        else s.Error = error;
        s.State = state;
        if (reason is not null) s.CheckReason = reason;
        db.RunEvents.Add(Event(index, state, retrying ? $"{error} (will retry)" : state == RunState.Running ? $"attempt {s.Attempts}" : error));
        await db.SaveChangesAsync();
        hub.NotifyRunChanged(runId);
        return s.Attempts;
    }

    RunEventRecord Event(int? stageIndex, RunState state, string? message) =>
        new() { RunId = runId, StageIndex = stageIndex, State = state, At = DateTime.UtcNow, Message = message };
}
