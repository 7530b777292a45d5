using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Runs;

/// <summary>
/// The runs list read with plain SQL (RunRows) holds what EF reads from the same rows, property by property: a column
/// added to the model and not to the plain reader fails here. On SQLite here, on PostgreSQL in the class below.
/// </summary>
public class RunRowsTests : IAsyncLifetime
{
    readonly TempDir tmp = new();
    readonly string data;

    public RunRowsTests() => data = tmp.Sub("data");

    /// <summary>The data directory's database, as `--database` takes it.</summary>
    protected virtual Task<string> DatabaseAsync() => Task.FromResult("sqlite");

    public async Task InitializeAsync()
    {
        DatabaseLocation.Use(data, await DatabaseAsync());
        ControlPanelDb.Migrate(data);
    }

    public Task DisposeAsync()
    {
        tmp.Dispose();
        return Task.CompletedTask;
    }

    static readonly DateTime At = new(2026, 12, 1, 8, 30, 15, 123, DateTimeKind.Utc);

    /// <summary>Three runs: one with every optional field set, one with none, one still running; stages stored out of order.</summary>
    async Task SeedAsync()
    {
        await using var db = ControlPanelDb.Open(data);
        db.Runs.Add(new RunRecord
        {
            Kind = "install", HostSpec = "ssh://root@10.0.0.5:22", HostKey = "ssh:10.0.0.5", HostName = "edge-1", BatchId = 7,
            Catalog = "stack", State = RunState.Failed, InputsJson = """{"domain":"a.example"}""", RequestedBy = "admin",
            CreatedAt = At, StartedAt = At.AddSeconds(1), EndedAt = At.AddMinutes(2).AddTicks(70), Error = "it broke",
            ErrorJson = """{"key":"x"}""", Attempts = 2, CancelRequested = true, JobQueue = "panel", JobId = "12", JobTicket = "t",
            Stages =
            {
                new StageRunRecord
                {
                    Index = 1, Name = "faasd", Title = "faasd", State = RunState.Failed, Attempts = 3, StartedAt = At.AddSeconds(5),
                    EndedAt = At.AddSeconds(9), Error = "exit 1", ErrorJson = """{"key":"y"}""", CheckReason = "missing",
                    CheckReasonJson = """{"key":"z"}""", LogFile = "runs/1/1.log", LogLines = 12345678901,
                },
                new StageRunRecord { Index = 0, Name = "deps", Title = "Packages", State = RunState.Skipped, LogFile = "runs/1/0.log" },
            },
        });
        db.Runs.Add(new RunRecord { Kind = "uninstall", HostSpec = "local", HostKey = "local", State = RunState.Queued, InputsJson = "{}", CreatedAt = At });
        db.Runs.Add(new RunRecord
        {
            Kind = "install", HostSpec = "local", HostKey = "local", State = RunState.Running, InputsJson = "{}", CreatedAt = At,
            Stages = { new StageRunRecord { Index = 0, Name = "deps", Title = "Packages", State = RunState.Running, LogFile = "runs/3/0.log" } },
        });
        await db.SaveChangesAsync();
        db.RunEvents.AddRange(
            new RunEventRecord { RunId = 1, State = RunState.Running, At = At.AddSeconds(1) },
            new RunEventRecord { RunId = 1, StageIndex = 1, State = RunState.Failed, At = At.AddSeconds(9), Message = "exit 1" },
            new RunEventRecord { RunId = 1, State = RunState.Failed, At = At.AddMinutes(2), Message = "it broke", MessageJson = """{"key":"x"}""" },
            new RunEventRecord { RunId = 3, State = RunState.Running, At = At.AddSeconds(3) });
        await db.SaveChangesAsync();
    }

    async Task<List<RunRecord>> ThroughEfAsync()
    {
        await using var db = ControlPanelDb.Open(data);
        return await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index)).OrderByDescending(r => r.Id).ToListAsync();
    }

    static string Json(object value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true });

    [Fact]
    public async Task Every_run_and_stage_property_reads_as_EF_reads_it()
    {
        await SeedAsync();
        var plain = await RunRows.LatestAsync(data, null, default);
        Assert.Equal([3L, 2L, 1L], plain.Select(r => r.Id));
        Assert.Equal(["deps", "faasd"], plain[2].Stages.Select(s => s.Name));
        Assert.Equal(Json(await ThroughEfAsync()), Json(plain));
    }

    [Fact]
    public async Task A_count_takes_the_newest_runs_with_their_stages_only()
    {
        await SeedAsync();
        var two = await RunRows.LatestAsync(data, 2, default);
        Assert.Equal([3L, 2L], two.Select(r => r.Id));
        Assert.Equal(Json((await ThroughEfAsync()).Take(2)), Json(two));
        Assert.Empty(await RunRows.LatestAsync(data, 0, default));
    }

    [Fact]
    public async Task The_run_level_history_is_EFs_without_the_stages_events()
    {
        await SeedAsync();
        await using var db = ControlPanelDb.Open(data);
        var ef = await db.RunEvents.AsNoTracking().Where(e => e.StageIndex == null).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(3, ef.Count);
        Assert.Equal(Json(ef), Json(await RunRows.RunEventsAsync(data, 1, 3, default)));
        Assert.Equal(Json(ef.Where(e => e.RunId == 3)), Json(await RunRows.RunEventsAsync(data, 2, 3, default)));
    }

    [Fact]
    public async Task Times_come_from_the_run_level_history()
    {
        await SeedAsync();
        var queries = new RunQueries(data);
        var runs = await queries.LatestAsync();
        var times = await queries.TimesAsync(runs);
        // Wall: the first Running event to the run's end; the attempt: Running to Failed in the history.
        Assert.Equal(TimeSpan.FromSeconds(119).Add(TimeSpan.FromTicks(70)), times[1].Wall);
        Assert.Equal([TimeSpan.FromSeconds(119)], times[1].Attempts);
        Assert.Null(times[2].Wall);
        Assert.True(times[3].Wall > TimeSpan.Zero);
        Assert.Empty(await queries.TimesAsync([]));
    }

    [Fact]
    public async Task Open_runs_are_those_running_or_queued()
    {
        Assert.False(await RunRows.AnyOpenAsync(data, default));
        await using var db = ControlPanelDb.Open(data);
        var run = new RunRecord { Kind = "install", HostSpec = "local", HostKey = "local", State = RunState.Succeeded, InputsJson = "{}", CreatedAt = At };
        db.Runs.Add(run);
        await db.SaveChangesAsync();
        Assert.False(await RunRows.AnyOpenAsync(data, default));
        foreach (var open in new[] { RunState.Queued, RunState.Running })
        {
            run.State = open;
            await db.SaveChangesAsync();
            Assert.True(await RunRows.AnyOpenAsync(data, default));
        }
    }
}

/// <summary>The same rows in a real PostgreSQL (a throw-away cluster of Debian's postgresql): the plain SQL is the same for both.</summary>
public sealed class RunRowsOnPostgresTests : RunRowsTests
{
    protected override Task<string> DatabaseAsync() => PostgresPeer.NewDatabaseAsync();
}
