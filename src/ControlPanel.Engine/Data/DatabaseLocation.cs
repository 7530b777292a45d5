using System.Collections.Concurrent;
using ControlPanel.Engine.Files;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;
using Npgsql;

namespace ControlPanel.Engine.Data;

public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>
/// Where a data directory's state lives: SQLite files in the directory itself (the default: nothing to set up), or a
/// PostgreSQL database that several panel nodes can share (issue 19). The choice is the data directory's own, in
/// DATA/database.conf (0600: the URL may hold a password), so the panel and every CLI verb on that directory agree
/// without repeating it; <c>serve --database</c>, <c>controlpanel database use</c> and the installer write it.
/// </summary>
public sealed record DatabaseLocation(DatabaseProvider Provider, string ConnectionString, string Display)
{
    public const string ConfigFile = "database.conf";
    const string Field = "database";

    static readonly MessageTemplate NotAUrl = new("input.database-not-url",
        "must be \"sqlite\" or a URL postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE]");
    static readonly MessageTemplate UnknownParameter = new("input.database-parameter", "has a parameter this panel does not know: {name} (known: {known})");
    static readonly string[] KnownParameters = ["sslmode", "host", "timeout", "pool"];
    static readonly ConcurrentDictionary<string, DatabaseLocation> Cache = new();

    public bool IsPostgres => Provider == DatabaseProvider.Postgres;

    public static DatabaseLocation Sqlite(string dataDirectory) =>
        new(DatabaseProvider.Sqlite, ControlPanelDb.SqliteConnectionString(dataDirectory), Path.Combine(dataDirectory, ControlPanelDb.FileName));

    /// <summary>The data directory's database: DATA/database.conf, or its SQLite file. Read once per process and directory.</summary>
    public static DatabaseLocation Of(string dataDirectory) =>
        Cache.GetOrAdd(Path.GetFullPath(dataDirectory), static data =>
        {
            var config = Path.Combine(data, ConfigFile);
            return File.Exists(config) ? Parse(File.ReadAllText(config).Trim(), data) : Sqlite(data);
        });

    /// <summary>
    /// Records <paramref name="value"/> as the data directory's database (validated first; written atomically, 0600).
    /// "sqlite" removes the record. Answers whether the record changed.
    /// </summary>
    public static bool Use(string dataDirectory, string value)
    {
        var location = Parse(value, dataDirectory);
        var data = PrivateDatabase.EnsureDirectory(Path.GetFullPath(dataDirectory));
        var config = Path.Combine(data, ConfigFile);
        var old = File.Exists(config) ? File.ReadAllText(config).Trim() : null;
        Cache[data] = location;
        if (!location.IsPostgres)
        {
            if (old is null) return false;
            File.Delete(config);
            return true;
        }
        if (old == value.Trim() && File.GetUnixFileMode(config) == AtomicFile.Private) return false;
        AtomicFile.Write(config, value.Trim() + "\n", AtomicFile.Private);
        return true;
    }

    /// <summary>
    /// "sqlite" (the data directory's file) or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE with sslmode, host (a
    /// socket folder), timeout or pool as parameters. A password left out comes from PostgreSQL's own PGPASSWORD or
    /// ~/.pgpass. Errors name the field and never repeat the password.
    /// </summary>
    public static DatabaseLocation Parse(string value, string dataDirectory)
    {
        var text = value.Trim();
        if (text.Equals("sqlite", StringComparison.OrdinalIgnoreCase)) return Sqlite(dataDirectory);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql")
            || uri.AbsolutePath.Trim('/') is not { Length: > 0 } database || database.Contains('/'))
            throw new InputException(Field, Redacted(text), NotAUrl.Message());
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Length > 0 ? uri.Host : null,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(database),
            // Errors and the pool keyed by it: an application name makes the panel's connections findable in pg_stat_activity.
            ApplicationName = "controlpanel",
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo is [_, var password]) builder.Password = Uri.UnescapeDataString(password);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, raw) = pair.Split('=', 2) is [var n, var v] ? (n, Uri.UnescapeDataString(v)) : (pair, "");
            try
            {
                switch (name)
                {
                    case "sslmode": builder.SslMode = Enum.Parse<SslMode>(raw, ignoreCase: true); break;
                    case "host": builder.Host = raw; break;
                    case "timeout": builder.Timeout = int.Parse(raw); break;
                    case "pool": builder.MaxPoolSize = int.Parse(raw); break;
                    default:
                        throw new InputException(Field, Redacted(text), UnknownParameter.With(("name", name), ("known", string.Join(", ", KnownParameters))));
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                throw new InputException(Field, Redacted(text), NotAUrl.Message());
            }
        }
        if (string.IsNullOrEmpty(builder.Host)) throw new InputException(Field, Redacted(text), NotAUrl.Message());
        return new(DatabaseProvider.Postgres, builder.ConnectionString, Redacted(text));
    }

    /// <summary>The URL with its password replaced, for logs and messages.</summary>
    public static string Redacted(string url)
    {
        var at = url.IndexOf('@');
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme) return url;
        var colon = url.IndexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? url[..(colon + 1)] + "***" + url[at..] : url;
    }
}
