using System.CommandLine;
using ControlPanel.Web;

namespace ControlPanel.Cli;

/// <summary>`serve`: the panel.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:8800: loopback only; reach it by SSH tunnel or put it behind nginx)",
            DefaultValueFactory = _ => "http://127.0.0.1:8800",
        };
        // Hidden: swaps the install/uninstall plans for harmless fixture stages (tests and benchmarks only).
        var fixturePlans = new Option<string?>("--fixture-plans") { Hidden = true };
        var command = new Command("serve", "Run the web panel") { urls, fixturePlans };
        command.SetAction(async (parse, ct) =>
        {
            var app = PanelApp.Build(new PanelSettings(CommonOptions.DataDirectory(parse), parse.GetValue(urls)!)
            {
                FixturePlansDirectory = parse.GetValue(fixturePlans) is { } dir ? Path.GetFullPath(dir) : null,
            }, []);
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
