using System.CommandLine;
using System.Text.Json;
using ControlPanel.Composition;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>
/// `proxy show` and `proxy apply`: the nginx site from DATA/proxy/routes.json (panel.sh's routes the first time),
/// shown, previewed as a diff, and applied safely (nginx -t, atomic swap, reload, rollback).
/// </summary>
public static class ProxyCommands
{
    static readonly MessageTemplate NeedsPanelPort = new("input.needs-panel-port", "needs --panel-port");
    static readonly MessageTemplate DomainRequiredUntil = new("input.domain-required-until", "is required until {path} exists");

    static readonly Option<string?> Domain = new("--domain", "-d") { Description = "Domain of the site; needed the first time, before routes.json exists" };
    static readonly Option<string?> PanelType = new("--panel-type", "-t") { Description = "faasd (default) or node: the default route for a new routes.json" };
    static readonly Option<string?> Host = new("--host") { Description = "Target: ssh://user@host:port (default: this machine)" };

    public static Command Create() => new("proxy", "The nginx reverse proxy: routes, rendered site, safe apply") { Show(), Apply() };

    static Command Show()
    {
        var command = new Command("show", "Print the routes and the site file they render to") { Domain, PanelType, Host, CommonOptions.Json };
        command.SetAction(async (parse, ct) =>
        {
            var data = CommonOptions.DataDirectory(parse);
            var settings = Settings(parse, data);
            var site = settings.Validate();
            await using var host = CreateHost(parse);
            var rendered = await NginxSiteFile.RenderAsync(host, new NginxTarget(), site, ct);
            if (parse.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { routesFile = ProxyRoutesStore.PathIn(data), settings, rendered }, JsonOut.Options));
                return ExitCodes.Success;
            }
            Console.WriteLine($"{site.Domain} (routes: {ProxyRoutesStore.PathIn(data)}{(ProxyRoutesStore.Load(data) is null ? ", not saved yet: panel.sh's defaults" : "")})");
            foreach (var r in site.Routes)
                Console.WriteLine($"  {r.Path,-16} -> {r.Upstream}" + (r.Websocket ? "  websocket" : "") + (r.StartPage is null ? "" : $"  start page {r.StartPage}")
                                  + (r.HttpsRedirects ? "  https redirects" : ""));
            if (site.Panel is { } panel) Console.WriteLine($"  the panel: https://{site.Domain}:{panel.Port}/ -> {panel.Upstream}  websocket");
            Console.WriteLine();
            Console.Write(rendered);
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Apply()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the diff and the commands; change nothing" };
        var panelPort = new Option<int?>("--panel-port")
        {
            Description = $"Publish the panel itself on HTTPS on this port of the domain (e.g. {PublicPanelSettings.DefaultPort}), saved in routes.json; 0 unpublishes it",
        };
        var panelUpstream = new Option<string?>("--panel-upstream") { Description = $"Where the panel listens, with --panel-port (default {PublicPanelSettings.DefaultUpstream})" };
        var command = new Command("apply", "Render the routes, print the diff, then test, swap and reload (rolled back if nginx refuses)")
        {
            Domain, PanelType, Host, dryRun, panelPort, panelUpstream,
        };
        command.SetAction(async (parse, ct) =>
        {
            var data = CommonOptions.DataDirectory(parse);
            var settings = Settings(parse, data);
            PublishPanel(settings, parse.GetValue(panelPort), parse.GetValue(panelUpstream));
            settings.Validate();
            var hostSpec = parse.GetValue(Host) ?? "local";
            var request = new ProxyApplyRequest(settings);
            await using (var host = CreateHost(parse))
            {
                var preview = await PlanPreviewer.PreviewAsync(ProxyApply.Plan(request), request, host, data, ct);
                PreviewPrinter.Print("proxy apply", hostSpec, preview);
                if (parse.GetValue(dryRun) || preview[0].WouldSkip) return preview[0].Error is null ? ExitCodes.Success : ExitCodes.StageFailed;
            }

            // The routes are saved to routes.json by the run, once nginx took them.
            await using var engine = EngineSetup.Create(data, "cli");
            await engine.RecoverInterruptedAsync();
            var handle = await engine.StartAsync(request, hostSpec, "cli:proxy");
            if (await PlanRunner.WaitQuietly(engine, handle, data) != RunState.Succeeded)
            {
                Console.Error.WriteLine(await engine.FailureOfAsync(handle.RunId));
                return ExitCodes.StageFailed;
            }
            Console.WriteLine($"nginx site applied and reloaded (run {handle.RunId})");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>--panel-port N publishes the panel (0 takes it off).</summary>
    static void PublishPanel(ProxySettings settings, int? port, string? upstream)
    {
        if (port is null)
        {
            if (upstream is not null) throw new InputException("--panel-upstream", upstream, NeedsPanelPort.Message());
            return;
        }
        if (port == 0)
        {
            if (upstream is not null) throw new InputException("--panel-upstream", upstream, InputReasons.CannotCombine.With(("option", "--panel-port 0")));
            settings.Panel = null;
            return;
        }
        settings.Panel = new PublicPanelSettings { Port = port.Value, Upstream = upstream ?? PublicPanelSettings.DefaultUpstream };
        settings.Panel.Validate("--panel-port", "--panel-upstream");
    }

    /// <summary>routes.json when it exists (its domain replaced by --domain if given), otherwise panel.sh's default site.</summary>
    static ProxySettings Settings(ParseResult parse, string data)
    {
        var domain = parse.GetValue(Domain);
        var stored = ProxyRoutesStore.Load(data);
        if (stored is not null)
        {
            if (domain is not null) stored.Domain = HostName.RequireDomain("--domain", domain);
            return stored;
        }
        if (domain is null) throw new InputException("--domain", null, DomainRequiredUntil.With(("path", ProxyRoutesStore.PathIn(data))));
        var type = Inputs.RequireOneOf("--panel-type", parse.GetValue(PanelType) ?? "faasd", "faasd", "node");
        return DefaultSite.For(HostName.RequireDomain("--domain", domain), type);
    }

    static ControlPanel.Engine.Hosts.IHost CreateHost(ParseResult parse)
    {
        var spec = parse.GetValue(Host) ?? "local";
        return EngineSetup.Hosts(CommonOptions.DataDirectory(parse)).Create(spec);
    }
}
