using ControlPanel.Engine.Data;
using Microsoft.Data.Sqlite;

namespace ControlPanel.Engine.Tests.Data;

/// <summary>
/// The database written by the last release of the hand-written migrations (Assets/README.md), copied into a data
/// directory, and plain SQL views of a data directory's database that do not go through the model under test.
/// </summary>
static class OldDatabase
{
    public const string Asset = "controlpanel-2026-12-02.db";

    /// <summary>The tables the panel keeps rows in (all but SQLite's and EF's own).</summary>
    public static readonly string[] Tables = ["AuditLog", "Batches", "Certificates", "Hosts", "RunEvents", "Runs", "Settings", "StageRuns", "Users"];

    public static string CopyTo(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Data", "Assets", Asset), Path.Combine(dataDirectory, "controlpanel.db"));
        return dataDirectory;
    }

    public static string Schema(string dataDirectory)
    {
        using var connection = Connect(dataDirectory);
        return SqliteSchema.Describe(connection);
    }

    public static List<string> History(string dataDirectory) =>
        Query(dataDirectory, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId").Select(r => (string)r["MigrationId"]!).ToList();

    public static void Execute(string dataDirectory, string sql)
    {
        using var connection = Connect(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Every row of a table as its columns' stored values (long, double, string, bytes or null), by rowid.</summary>
    public static List<Dictionary<string, object?>> Rows(string dataDirectory, string table) =>
        Query(dataDirectory, $"SELECT * FROM \"{table}\" ORDER BY rowid");

    /// <summary>Every stored value of every table, one line each with its SQLite type: what an upgrade must leave as it is.</summary>
    public static List<string> Fields(string dataDirectory) =>
        Tables.SelectMany(t => Rows(dataDirectory, t).SelectMany((row, i) => row.Select(c =>
            $"{t}[{i}].{c.Key} = {c.Value?.GetType().Name ?? "null"} {(c.Value is byte[] b ? Convert.ToHexString(b) : c.Value)}"))).ToList();

    public static object? Scalar(string dataDirectory, string sql) => Query(dataDirectory, sql).Single().Values.Single();

    static List<Dictionary<string, object?>> Query(string dataDirectory, string sql)
    {
        using var connection = Connect(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        return rows;
    }

    static SqliteConnection Connect(string dataDirectory)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "controlpanel.db")};Pooling=False");
        connection.Open();
        return connection;
    }
}
