using System.CommandLine;
using ControlPanel.Engine.Cache;

namespace ControlPanel.Cli;

/// <summary>`cache install | uninstall`: a pull-through registry cache on a host (Debian's docker-registry in proxy mode).</summary>
public static class CacheCommands
{
    public static Command Create() => new("cache", "A pull-through registry cache for other hosts' mirrors") { Install(), Uninstall() };

    static Command Install()
    {
        var upstream = new Option<string?>("--upstream") { Description = "Registry to cache (default Docker Hub, https://registry-1.docker.io); another cache's URL cascades" };
        var listen = new Option<string?>("--listen") { Description = $"Address to serve on, host:port or :port (default {CacheRequest.DefaultListen})" };
        var storage = new Option<string?>("--storage") { Description = $"Folder for the cached images (default {CacheRequest.DefaultStorage})" };
        var username = new Option<string?>("--upstream-username") { Description = "Account at the upstream (a mirror that needs a login)" };
        var passwordFile = new Option<string?>("--upstream-password-file") { Description = "File holding that account's password (kept as a secret; config.yml becomes 0640)" };
        var command = new Command("install", "Run a registry in proxy mode in front of an upstream") { upstream, listen, storage, username, passwordFile };
        command.With().SetAction(async (parse, ct) =>
        {
            var password = parse.GetValue(passwordFile) is { } file ? CommonOptions.ReadSecretFile("--upstream-password-file", file) : null;
            var request = CacheRequest.Parse(parse.GetValue(upstream), parse.GetValue(listen), parse.GetValue(storage), parse.GetValue(username), password);
            if (request.Exposure is { } exposure) Console.Error.WriteLine("warning: " + exposure.Text);
            var code = await PlanRunner.ExecuteAsync(parse, request, ct);
            if (code == ExitCodes.Success && !parse.GetValue(PlanOptions.DryRun))
            {
                Console.WriteLine($"expiry: {RegistryCacheConfig.ExpiryPolicy}");
                Console.WriteLine($"point other hosts at it: controlpanel mirrors set --registry docker.io --mirror http://THIS-HOST:{request.Port} --host ssh://root@OTHER-HOST");
            }
            return code;
        });
        return command;
    }

    static Command Uninstall()
    {
        var keepData = new Option<bool>("--keep-data") { Description = "Keep the cached images" };
        var command = new Command("uninstall", "Stop the cache, put back the packaged config, remove the cached images and the package if we installed it")
        {
            keepData,
        };
        command.With().SetAction((parse, ct) =>
            PlanRunner.ExecuteAsync(parse, CacheRequest.Parse(null, null, null) with { KeepData = parse.GetValue(keepData), Uninstalling = true }, ct));
        return command;
    }
}
