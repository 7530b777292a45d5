using ControlPanel.Engine.Files;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Data;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Hangfire.Storage.SQLite;

namespace ControlPanel.Engine.Jobs;

/// <summary>
/// Runs go through Hangfire: queued as background jobs in DATA/jobs.db (Hangfire.Storage.SQLite, shared by the
/// panel and the CLI), or in the schema "hangfire" of the data directory's PostgreSQL database when it names one
/// (Hangfire.PostgreSql: several panel nodes share its queues), and executed by a Hangfire server in the process that
/// serves their queue.
/// </summary>
public sealed class HangfireRunQueue : IRunQueue, IAsyncDisposable
{
    public const string StorageFile = "jobs.db";

    /// <summary>How long a job taken by a node that stopped renewing its claim stays invisible on PostgreSQL.</summary>
    public static readonly TimeSpan PostgresInvisibility = TimeSpan.FromSeconds(20);

    readonly JobOptions options;
    readonly JobSignal signal = new();
    readonly Dictionary<Type, Func<object>> jobs = new();
    readonly Lazy<JobStorage> storage;
    readonly Lazy<BackgroundJobClient> client;
    readonly object gate = new();
    BackgroundJobServer? server;
    Timer? poller;
    volatile bool stopping;

    HangfireRunQueue(string dataDirectory, JobOptions options)
    {
        this.options = options;
        // Opened on first use: the CLI's read-only verbs (status, runs, logs) never pay for it.
        storage = new(() => DatabaseLocation.Of(dataDirectory) is { IsPostgres: true } postgres
            ? OpenPostgres(postgres)
            : OpenSqlite(Path.Combine(dataDirectory, StorageFile)));
        client = new(() => new BackgroundJobClient(Storage));
    }

    SQLiteStorage OpenSqlite(string path)
    {
        var opened = new SQLiteStorage(PrivateDatabase.Prepare(path), new SQLiteStorageOptions { InvisibilityTimeout = options.InvisibilityTimeout });
        opened.QueueProviders.Add(new SignalledJobQueueProvider(options, signal), [options.Queue]);
        return opened;
    }

    /// <summary>
    /// Hangfire.PostgreSql's own queue: workers claim jobs with FOR UPDATE SKIP LOCKED (one node per job) and wake on
    /// PostgreSQL's NOTIFY. A claim is renewed while its run executes (sliding invisibility), so a long run is not
    /// handed out twice, and the claim can be short: a job a killed node had taken comes back within
    /// <see cref="PostgresInvisibility"/> for another node to execute.
    /// </summary>
    PostgreSqlStorage OpenPostgres(DatabaseLocation location)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = options.PollInterval,
            InvisibilityTimeout = options.InvisibilityTimeout < PostgresInvisibility ? options.InvisibilityTimeout : PostgresInvisibility,
            UseSlidingInvisibilityTimeout = true,
            EnableLongPolling = true,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(location.ConnectionString, storageOptions), storageOptions);
    }

    /// <summary>An engine whose runs are Hangfire jobs served by this process on <see cref="JobOptions.Queue"/>.</summary>
    public static RunEngine CreateEngine(EngineOptions engineOptions, IPlanFactory plans, IHostFactory hosts, LogHub hub, JobOptions? jobOptions = null)
    {
        var queue = new HangfireRunQueue(engineOptions.DataDirectory, jobOptions ?? new JobOptions());
        var engine = new RunEngine(engineOptions, plans, hosts, hub, queue);
        queue.AddJob(() => new RunJob(engine));
        queue.AddJob(() => new BatchJob(engine));
        return engine;
    }

    public JobStorage Storage => storage.Value;
    public string Name => options.Queue;
    public bool IsStopping => stopping;
    public IBackgroundJobClient Client => client.Value;

    /// <summary>Lets this process's workers build another job class (the recurring jobs).</summary>
    public void AddJob<T>(Func<T> create) where T : class
    {
        lock (gate) jobs[typeof(T)] = create;
    }

    public string Enqueue(RunJobRequest job, string queue)
    {
        if (queue == options.Queue && options.StartOnEnqueue) Start();
        return Client.Create<RunJob>(j => j.ExecuteAsync(job.Title, job.RunId, job.Ticket, job.Mode, job.StageIndex, null, CancellationToken.None),
            new EnqueuedState(queue));
    }

    public string EnqueueBatch(long batchId, string queue)
    {
        if (queue == options.Queue && options.StartOnEnqueue) Start();
        return Client.Create<BatchJob>(j => j.ExecuteAsync($"batch {batchId}", batchId), new EnqueuedState(queue));
    }

    /// <summary>Starts the workers of this process's queue (once).</summary>
    public void Start()
    {
        lock (gate)
        {
            if (server is not null) return;
            server = new BackgroundJobServer(new BackgroundJobServerOptions
            {
                ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{options.Queue}",
                Queues = [options.Queue],
                WorkerCount = options.Workers,
                Activator = new EngineJobActivator(Create),
                SchedulePollingInterval = options.PollInterval,
                // Hangfire.PostgreSql's storage processes renew the claims of the jobs a server executes: every server needs them there.
                IsLightweightServer = !options.KeepsStorage && Storage is SQLiteStorage,
            }, Storage);
            if (Storage is SQLiteStorage) poller = new Timer(_ => PulseIfWaiting(), null, options.PollInterval, options.PollInterval);
        }
    }

    /// <summary>Stops the workers: runs they execute end Interrupted (resumable), not Cancelled.</summary>
    public async Task StopAsync()
    {
        BackgroundJobServer? running;
        lock (gate) (running, server) = (server, null);
        if (running is null) return;
        stopping = true;
        if (poller is not null) await poller.DisposeAsync();
        running.SendStop();
        await running.WaitForShutdownAsync(CancellationToken.None);
        running.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (storage is { IsValueCreated: true, Value: IDisposable disposable }) disposable.Dispose();
    }

    object? Create(Type jobType)
    {
        lock (gate) return jobs.TryGetValue(jobType, out var create) ? create() : null;
    }

    /// <summary>Another process may have queued a job for us (a CLI handing a run to the panel), or one became visible again.</summary>
    void PulseIfWaiting()
    {
        try
        {
            using var db = ((SQLiteStorage)Storage).CreateAndOpenConnection();
            if (SignalledJobQueue.IsFetchable(db, options.Queue, options.InvisibilityTimeout)) signal.Pulse();
        }
        // A tick that cannot read the queue (the database busy or going away) is only a missed wake-up: the next one comes.
        catch (Exception) { }
    }
}
