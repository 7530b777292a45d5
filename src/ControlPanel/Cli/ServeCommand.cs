using System.CommandLine;
using ControlPanel.Composition;
using ControlPanel.Engine.Validation;
using ControlPanel.Web;

namespace ControlPanel.Cli;

/// <summary>`serve`: the panel.</summary>
public static class ServeCommand
{
    public static Command Create(PlanSource plans)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:8800: loopback only; reach it by SSH tunnel or put it behind nginx)",
            DefaultValueFactory = _ => "http://127.0.0.1:8800",
        };
        var node = new Option<string?>("--node")
        {
            Description = "This node's name, shown beside the runs it executes when several nodes serve one panel (default: the machine's name)",
        };
        var command = new Command("serve", "Run the web panel") { urls, DatabaseCommands.Database, node };
        command.SetAction(async (parse, ct) =>
        {
            var phases = new StartupPhases();
            var data = CommonOptions.DataDirectory(parse);
            if (parse.GetValue(DatabaseCommands.Database) is { } database) DatabaseCommands.Record(data, database);
            phases.End("runtime and command line");
            var settings = new PanelSettings(data, parse.GetValue(urls)!) { Plans = plans };
            if (parse.GetValue(node) is { } name) settings = settings with { Node = NodeName.Require(name) };
            var app = PanelApp.Build(settings, [], phases);
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
