using System.CommandLine;
using ControlPanel.Engine.Data;

namespace ControlPanel.Cli;

/// <summary>
/// `database`: where the data directory's state lives. SQLite (its file in the data directory) unless a PostgreSQL
/// database is recorded, which several panel nodes can share.
/// </summary>
public static class DatabaseCommands
{
    public static readonly Option<string?> Database = new("--database")
    {
        Description = "Keep runs, accounts and the job queue in this PostgreSQL database (postgres://USER[:PASSWORD]@HOST[:PORT]/NAME), "
            + "recorded in DATA/database.conf for every later verb; \"sqlite\" goes back to the data directory's file",
    };

    static readonly Argument<string> Url = new("URL") { Description = "postgres://USER[:PASSWORD]@HOST[:PORT]/NAME[?sslmode=MODE], or \"sqlite\"" };

    public static Command Create() => new("database", "Where the panel keeps its state: SQLite in the data directory, or a shared PostgreSQL")
    {
        Use(), Show(),
    };

    static Command Use()
    {
        var command = new Command("use", "Migrate the database to this release's schema, then record it as the data directory's") { Url };
        command.SetAction((parse, ct) =>
        {
            Record(CommonOptions.DataDirectory(parse), parse.GetValue(Url)!);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    static Command Show()
    {
        var command = new Command("show", "Print the data directory's database (its password left out)");
        command.SetAction((parse, ct) =>
        {
            Console.WriteLine(DatabaseLocation.Of(CommonOptions.DataDirectory(parse)).Display);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>
    /// Brings the database to this release's schema first and records it only then: a database that cannot be reached
    /// or migrated is never recorded.
    /// </summary>
    public static void Record(string dataDirectory, string url)
    {
        var location = DatabaseLocation.Parse(url, dataDirectory);
        if (location.IsPostgres) PostgresControlPanelDb.Migrate(location);
        var changed = DatabaseLocation.Use(dataDirectory, url);
        Console.WriteLine(changed ? $"database: {location.Display} (recorded in {Path.Combine(dataDirectory, DatabaseLocation.ConfigFile)})" : $"database: {location.Display} (unchanged)");
    }
}
