using System.Data.Common;
using System.Text;

namespace ControlPanel.Engine.Data;

/// <summary>
/// A SQLite database's schema as text two databases can be compared by: per table its columns (position, type,
/// nullability, default, key), AUTOINCREMENT, foreign keys and indexes, as SQLite's pragmas report them. The CREATE text
/// itself is left aside: a column added by ALTER TABLE reads differently there than the same column created with its
/// table. EF's bookkeeping tables are left out too.
/// </summary>
internal static class SqliteSchema
{
    public static string Describe(DbConnection connection)
    {
        var text = new StringBuilder();
        var objects = Rows(connection, """
            SELECT type, name, sql FROM sqlite_master
            WHERE type <> 'index' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE '\_\_EFMigrations%' ESCAPE '\'
            ORDER BY type, name
            """);
        foreach (var o in objects)
        {
            var (type, name, sql) = ((string)o[0]!, (string)o[1]!, o[2] as string);
            if (type != "table")
            {
                text.AppendLine($"{type} {name}: {sql}");
                continue;
            }
            text.AppendLine($"table {name}" + (sql?.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase) == true ? " autoincrement" : ""));
            foreach (var c in Rows(connection, "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo($name) ORDER BY cid", name))
                text.AppendLine($"  column {c[0]} {c[1]} {c[2]} {((long)c[3]! == 1 ? "not null" : "null")} default={c[4] ?? "none"} pk={c[5]} hidden={c[6]}");
            foreach (var f in Rows(connection, "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete, match FROM pragma_foreign_key_list($name) ORDER BY id, seq", name))
                text.AppendLine($"  foreign key {f[0]}.{f[1]} {f[3]} -> {f[2]}.{f[4]} on update {f[5]} on delete {f[6]} match {f[7]}");
            foreach (var i in Rows(connection, "SELECT name, \"unique\", origin, partial FROM pragma_index_list($name) ORDER BY name", name))
            {
                var columns = Rows(connection, "SELECT name, \"desc\", coll FROM pragma_index_xinfo($name) WHERE key = 1 ORDER BY seqno", (string)i[0]!)
                    .Select(k => $"{k[0]}{((long)k[1]! == 1 ? " desc" : "")} {k[2]}");
                text.AppendLine($"  index {i[0]} unique={i[1]} origin={i[2]} partial={i[3]}: {string.Join(", ", columns)}");
            }
        }
        return text.ToString();
    }

    static List<object?[]> Rows(DbConnection connection, string sql, string? name = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (name is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$name";
            parameter.Value = name;
            command.Parameters.Add(parameter);
        }
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
