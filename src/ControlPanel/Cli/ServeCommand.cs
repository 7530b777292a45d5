using System.CommandLine;
using System.Text.Json;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Validation;
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
        // Hidden: a JSON NginxTarget (an nginx in a private prefix) for the proxy page (tests only).
        var nginxTarget = new Option<string?>("--nginx-target") { Hidden = true };
        var command = new Command("serve", "Run the web panel") { urls, CommonOptions.FixturePlans, nginxTarget };
        command.SetAction(async (parse, ct) =>
        {
            var app = PanelApp.Build(new PanelSettings(CommonOptions.DataDirectory(parse), parse.GetValue(urls)!)
            {
                FixturePlansDirectory = parse.GetValue(CommonOptions.FixturePlans) is { } dir ? Path.GetFullPath(dir) : null,
                Nginx = parse.GetValue(nginxTarget) is { } file
                    ? JsonSerializer.Deserialize<NginxTarget>(File.ReadAllText(file)) ?? throw new InputException("--nginx-target", file, InputReasons.Empty.Message())
                    : new NginxTarget(),
            }, []);
            await app.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
