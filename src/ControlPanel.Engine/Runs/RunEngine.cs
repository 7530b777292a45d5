using System.Collections.Concurrent;
using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// Starts, resumes, re-runs and cancels runs. Durable: every state change is in SQLite before the next step,
/// so a run killed at any point is found on the next start and can be resumed from its stage.
/// </summary>
public sealed class RunEngine(EngineOptions options, IPlanFactory plans, IHostFactory hosts, LogHub hub)
{
    static readonly MessageTemplate OtherPlans = new("input.run-other-plans", "was started with the plans \"{catalog}\", which this process does not have (it has \"{plans}\"); it is re-run only with the plans it was started with");

    readonly ConcurrentDictionary<long, CancellationTokenSource> active = new();
    readonly RunSecrets secrets = new(options.DataDirectory);

    public LogStore Logs { get; } = new(options.DataDirectory);
    public LogHub Hub => hub;
    public EngineOptions Options => options;
    /// <summary>The plans this engine starts and re-runs; runs started with other plans are refused (<see cref="RequirePlans"/>).</summary>
    public IPlanFactory Plans => plans;

    /// <summary>Creates a run for the request on the host and starts it. Throws InputException (bad input) or HostBusyException.</summary>
    /// <param name="batchId">The batch (<see cref="FleetRunner"/>) the run belongs to, if any.</param>
    /// <param name="hostName">The host's inventory name, if it has one.</param>
    public async Task<RunHandle> StartAsync(PlanRequest request, string hostSpec, string? requestedBy = null, long? batchId = null, string? hostName = null)
    {
        var plan = plans.Create(request);
        var host = hosts.Create(hostSpec);
        var hostLock = HostLock.TryAcquire(options.DataDirectory, host.Key, options.Holder)
                       ?? throw new HostBusyException(host.Key, HostLock.Describe(options.DataDirectory, host.Key));
        try
        {
            await using var db = ControlPanelDb.Open(options.DataDirectory);
            var run = new RunRecord
            {
                Kind = request.Kind,
                HostSpec = hostSpec,
                HostKey = host.Key,
                HostName = hostName,
                BatchId = batchId,
                Catalog = plans.Name,
                State = RunState.Queued,
                InputsJson = JsonSerializer.Serialize(request.Inputs),
                RequestedBy = requestedBy ?? options.Holder,
                CreatedAt = DateTime.UtcNow,
            };
            db.Runs.Add(run);
            await db.SaveChangesAsync();
            for (var i = 0; i < plan.Stages.Count; i++)
                run.Stages.Add(new StageRunRecord
                {
                    RunId = run.Id, Index = i, Name = plan.Stages[i].Name, Title = plan.Stages[i].Title,
                    State = RunState.Queued, LogFile = Logs.StageFile(run.Id, i, plan.Stages[i].Name),
                });
            var created = RunMessages.CreatedBy.With(("user", run.RequestedBy));
            db.RunEvents.Add(new RunEventRecord { RunId = run.Id, State = RunState.Queued, At = DateTime.UtcNow, Message = created.Text, MessageJson = created.ToJson() });
            await db.SaveChangesAsync();
            secrets.Save(run.Id, request.Secrets);
            return Launch(run.Id, plan, request, host, hostLock, RerunMode.Resume, null);
        }
        catch
        {
            hostLock.Dispose();
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Resumes a run, or re-runs it from a stage, or re-runs one stage alone.</summary>
    public async Task<RunHandle> RerunAsync(long runId, RerunMode mode, string? stageName = null, string? requestedBy = null)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var run = await db.Runs.Include(r => r.Stages).SingleOrDefaultAsync(r => r.Id == runId)
                  ?? throw new KeyNotFoundException($"run {runId} does not exist");
        RequirePlans("RUN_ID", runId, run.Catalog);
        var request = new PlanRequest(run.Kind,
            JsonSerializer.Deserialize<Dictionary<string, string>>(run.InputsJson) ?? new(), secrets.Load(runId));
        var plan = plans.Create(request);
        int? target = null;
        if (mode != RerunMode.Resume)
        {
            if (stageName is null) throw new ArgumentException($"a stage name is needed to re-run {mode}", nameof(stageName));
            target = plan.IndexOf(stageName);
            if (target < 0)
                throw new InputException("--stage", stageName, InputReasons.NotAStage.With(("run", runId), ("stages", string.Join(", ", plan.Stages.Select(s => s.Name)))));
        }

        var host = hosts.Create(run.HostSpec);
        var hostLock = HostLock.TryAcquire(options.DataDirectory, host.Key, options.Holder);
        if (hostLock is null)
        {
            await host.DisposeAsync();
            throw new HostBusyException(host.Key, HostLock.Describe(options.DataDirectory, host.Key));
        }
        foreach (var s in run.Stages)
        {
            var reset = mode switch
            {
                RerunMode.Resume => !s.State.IsDone(),
                RerunMode.From => s.Index >= target,
                _ => s.Index == target,
            };
            if (reset) s.State = RunState.Queued;
        }
        run.State = RunState.Queued;
        run.CancelRequested = false;
        var by = requestedBy ?? options.Holder;
        var asked = mode switch
        {
            RerunMode.Resume => RunMessages.ResumeBy.With(("user", by)),
            RerunMode.Only => RunMessages.RerunOnlyBy.With(("stage", stageName), ("user", by)),
            _ => RunMessages.RerunFromBy.With(("stage", stageName), ("user", by)),
        };
        db.RunEvents.Add(new RunEventRecord { RunId = runId, State = RunState.Queued, At = DateTime.UtcNow, Message = asked.Text, MessageJson = asked.ToJson() });
        await db.SaveChangesAsync();
        return Launch(runId, plan, request, host, hostLock, mode, target);
    }

    /// <summary>
    /// Refuses to go on with a run or batch started with other plans than this engine's: fixture stages would
    /// "resume" a real install without touching the host, and real stages would install on a machine a test
    /// only pretended to.
    /// </summary>
    public void RequirePlans(string field, long id, string catalog)
    {
        if (catalog != plans.Name)
            throw new InputException(field, id.ToString(),
                OtherPlans.With(("catalog", catalog), ("plans", plans.Name)));
    }

    /// <summary>The plans a stored run was started with, for a face that builds its engine to re-run it.</summary>
    public static async Task<string> CatalogOfRunAsync(string dataDirectory, long runId)
    {
        await using var db = ControlPanelDb.Open(dataDirectory);
        return await db.Runs.Where(r => r.Id == runId).Select(r => r.Catalog).SingleOrDefaultAsync()
               ?? throw new KeyNotFoundException($"run {runId} does not exist");
    }

    /// <summary>Asks a run to stop, whichever process executes it.</summary>
    public async Task<bool> CancelAsync(long runId)
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var n = await db.Runs.Where(r => r.Id == runId && (r.State == RunState.Running || r.State == RunState.Queued))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CancelRequested, true));
        if (active.TryGetValue(runId, out var cts)) cts.Cancel();
        return n > 0;
    }

    /// <summary>
    /// Marks runs left Running or Queued by a process that died as Interrupted. A run whose host lock is still
    /// held is alive in another process and is left alone.
    /// </summary>
    public async Task<IReadOnlyList<long>> RecoverInterruptedAsync()
    {
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var open = await db.Runs.Include(r => r.Stages)
            .Where(r => r.State == RunState.Running || r.State == RunState.Queued).ToListAsync();
        var recovered = new List<long>();
        foreach (var run in open)
        {
            if (active.ContainsKey(run.Id)) continue;
            using var probe = HostLock.TryAcquire(options.DataDirectory, run.HostKey, "recovery");
            if (probe is null) continue;
            run.State = RunState.Interrupted;
            run.EndedAt = DateTime.UtcNow;
            run.Error = RunMessages.ProcessStopped.English;
            run.ErrorJson = RunMessages.ProcessStopped.Message().ToJson();
            foreach (var s in run.Stages.Where(s => s.State == RunState.Running))
            {
                s.State = RunState.Interrupted;
                s.EndedAt = DateTime.UtcNow;
                db.RunEvents.Add(new RunEventRecord { RunId = run.Id, StageIndex = s.Index, State = RunState.Interrupted, At = DateTime.UtcNow });
            }
            db.RunEvents.Add(new RunEventRecord { RunId = run.Id, State = RunState.Interrupted, At = DateTime.UtcNow, Message = run.Error, MessageJson = run.ErrorJson });
            recovered.Add(run.Id);
        }
        await db.SaveChangesAsync();
        foreach (var id in recovered) hub.NotifyRunChanged(id);
        return recovered;
    }

    /// <summary>Deletes a finished run with its logs and secrets (the history's "delete").</summary>
    public async Task DeleteAsync(long runId)
    {
        if (active.ContainsKey(runId)) throw new InvalidOperationException($"run {runId} is executing; cancel it first");
        await using var db = ControlPanelDb.Open(options.DataDirectory);
        var run = await db.Runs.FindAsync(runId) ?? throw new KeyNotFoundException($"run {runId} does not exist");
        if (run.State is RunState.Running) throw new InvalidOperationException($"run {runId} is running; cancel it first");
        db.Runs.Remove(run);
        await db.SaveChangesAsync();
        Logs.DeleteRun(runId);
        secrets.Delete(runId);
        hub.NotifyRunChanged(runId);
    }

    public bool IsActive(long runId) => active.ContainsKey(runId);

    RunHandle Launch(long runId, Plan plan, PlanRequest request, IHost host, HostLock hostLock, RerunMode mode, int? target)
    {
        var cts = new CancellationTokenSource();
        active[runId] = cts;
        var execution = new RunExecution(options, Logs, hub, runId, plan, request, host, mode, target, cts.Token);
        var completion = Task.Run(async () =>
        {
            try
            {
                using var watch = WatchForCancel(runId, cts);
                return await execution.ExecuteAsync();
            }
            finally
            {
                active.TryRemove(runId, out _);
                hostLock.Dispose();
                await host.DisposeAsync();
                cts.Dispose();
            }
        });
        return new RunHandle(runId, completion);
    }

    IDisposable WatchForCancel(long runId, CancellationTokenSource cts)
    {
        var timer = new PeriodicTimer(options.CancelPollInterval);
        _ = Task.Run(async () =>
        {
            try
            {
                while (await timer.WaitForNextTickAsync())
                {
                    await using var db = ControlPanelDb.Open(options.DataDirectory);
                    if (await db.Runs.AnyAsync(r => r.Id == runId && r.CancelRequested)) { cts.Cancel(); return; }
                }
            }
            catch (ObjectDisposedException) { }
        });
        return timer;
    }
}
