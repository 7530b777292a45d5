using System.Data.Common;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// The runs list and the run-level history read with plain SQL, not EF: they are what `controlpanel runs` and
/// `controlpanel status` print, and in a one-shot process EF's first context and its first queries (a service provider,
/// expression compilation, JIT of generic code) cost about twice the rest of the verb (issue 17). The columns are the
/// model's (ControlPanelDb); a test reads the same rows through EF and through these and compares every property, on
/// SQLite and on PostgreSQL.
/// </summary>
internal static class RunRows
{
    const string RunColumns = """
        "Id", "Kind", "HostSpec", "HostKey", "HostName", "BatchId", "Catalog", "State", "InputsJson", "RequestedBy",
        "CreatedAt", "StartedAt", "EndedAt", "Error", "ErrorJson", "Attempts", "CancelRequested", "JobQueue", "JobId", "JobTicket", "Node"
        """;

    const string StageColumns = """
        "Id", "RunId", "Index", "Name", "Title", "State", "Attempts", "StartedAt", "EndedAt", "Error", "ErrorJson",
        "CheckReason", "CheckReasonJson", "LogFile", "LogLines"
        """;

    /// <summary>Runs with their stages in order, newest first; all of them without a count. One snapshot of the database.</summary>
    public static async Task<List<RunRecord>> LatestAsync(string dataDirectory, int? count, CancellationToken ct)
    {
        await using var connection = await ControlPanelDb.OpenConnectionAsync(dataDirectory, ct);
        // One snapshot: the stages are those of the runs as read.
        await using var snapshot = ControlPanelDb.BeginSnapshot(connection);
        var newest = """SELECT "Id" FROM "Runs" ORDER BY "Id" DESC LIMIT @count""";
        var runs = new List<RunRecord>();
        await using (var command = Command(snapshot, $"""SELECT {RunColumns} FROM "Runs" WHERE "Id" IN ({newest}) ORDER BY "Id" DESC""", count))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) runs.Add(Run(reader));
        var byId = runs.ToDictionary(r => r.Id);
        await using (var command = Command(snapshot, $"""SELECT {StageColumns} FROM "StageRuns" WHERE "RunId" IN ({newest}) ORDER BY "RunId", "Index" """, count))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
            {
                var stage = Stage(reader);
                if (byId.TryGetValue(stage.RunId, out var run)) run.Stages.Add(stage);
            }
        return runs;
    }

    /// <summary>Whether any run is Running or Queued: the one question every CLI verb asks before it looks for interrupted runs.</summary>
    public static async Task<bool> AnyOpenAsync(string dataDirectory, CancellationToken ct)
    {
        await using var connection = await ControlPanelDb.OpenConnectionAsync(dataDirectory, ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT EXISTS (SELECT 1 FROM "Runs" WHERE "State" IN (@running, @queued))""";
        Add(command, "running", nameof(RunState.Running));
        Add(command, "queued", nameof(RunState.Queued));
        // SQLite answers 1, PostgreSQL true.
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) == 1;
    }

    /// <summary>The run-level history (no stage's) of the runs whose ids lie between these two, oldest first.</summary>
    public static async Task<List<RunEventRecord>> RunEventsAsync(string dataDirectory, long firstId, long lastId, CancellationToken ct)
    {
        await using var connection = await ControlPanelDb.OpenConnectionAsync(dataDirectory, ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT "Id", "RunId", "StageIndex", "State", "At", "Message", "MessageJson" FROM "RunEvents"
            WHERE "StageIndex" IS NULL AND "RunId" BETWEEN @first AND @last ORDER BY "Id"
            """;
        Add(command, "first", firstId);
        Add(command, "last", lastId);
        var events = new List<RunEventRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events.Add(new RunEventRecord
            {
                Id = reader.GetInt64(0), RunId = reader.GetInt64(1), StageIndex = reader.IsDBNull(2) ? null : reader.GetInt32(2),
                State = State(reader, 3), At = reader.GetDateTime(4), Message = Text(reader, 5), MessageJson = Text(reader, 6),
            });
        return events;
    }

    /// <summary>A command whose @count is the count asked for, or no limit.</summary>
    static DbCommand Command(DbTransaction snapshot, string sql, int? count)
    {
        var command = snapshot.Connection!.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = sql;
        Add(command, "count", count ?? long.MaxValue);
        return command;
    }

    /// <summary>A named parameter, written @name in the SQL: both SQLite and Npgsql take that form.</summary>
    static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    static RunRecord Run(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), Kind = r.GetString(1), HostSpec = r.GetString(2), HostKey = r.GetString(3), HostName = Text(r, 4),
        BatchId = r.IsDBNull(5) ? null : r.GetInt64(5), Catalog = r.GetString(6), State = State(r, 7), InputsJson = r.GetString(8),
        RequestedBy = Text(r, 9), CreatedAt = r.GetDateTime(10), StartedAt = Time(r, 11), EndedAt = Time(r, 12), Error = Text(r, 13),
        ErrorJson = Text(r, 14), Attempts = r.GetInt32(15), CancelRequested = r.GetBoolean(16), JobQueue = Text(r, 17),
        JobId = Text(r, 18), JobTicket = Text(r, 19), Node = Text(r, 20),
    };

    static StageRunRecord Stage(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), RunId = r.GetInt64(1), Index = r.GetInt32(2), Name = r.GetString(3), Title = r.GetString(4),
        State = State(r, 5), Attempts = r.GetInt32(6), StartedAt = Time(r, 7), EndedAt = Time(r, 8), Error = Text(r, 9),
        ErrorJson = Text(r, 10), CheckReason = Text(r, 11), CheckReasonJson = Text(r, 12), LogFile = r.GetString(13), LogLines = r.GetInt64(14),
    };

    // The model stores states by name (HasConversion<string>).
    static RunState State(DbDataReader r, int i) => Enum.Parse<RunState>(r.GetString(i));
    static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    static DateTime? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetDateTime(i);
}
