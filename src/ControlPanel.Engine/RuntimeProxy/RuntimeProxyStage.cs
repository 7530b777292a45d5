using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.RuntimeProxy;

/// <summary>
/// HTTP_PROXY, HTTPS_PROXY and NO_PROXY for containerd and Docker through a systemd drop-in,
/// /etc/systemd/system/UNIT.service.d/http-proxy.conf (the file seed 000's users wrote by hand; a file of theirs is
/// kept beside it and comes back on reset). daemon-reload and a restart of a running unit only when its file changed.
/// </summary>
public sealed class RuntimeProxyStage(ProxyRequest request) : ConfigEditStage
{
    public override string Name => "runtime-proxy";
    public override string Title => request.IsReset
        ? "Reset the container runtimes' proxy"
        : $"containerd/Docker pull through {ProxyRequest.Masked((request.HttpsProxy ?? request.HttpProxy)!.OriginalString)}";
    static readonly MessageTemplate NoneToReset = new("proxy.none-to-reset", "no proxy drop-in of ours to reset");
    static readonly MessageTemplate AsAsked = new("proxy.as-asked", "the proxy drop-ins are as asked");
    protected override UserMessage DoneReason => (request.IsReset ? NoneToReset : AsAsked).Message();

    public static string DropInPath(string unit) => $"/etc/systemd/system/{unit}.service.d/http-proxy.conf";

    static IEnumerable<string> Units(MirrorRuntime runtime) =>
        new[] { (MirrorRuntime.Containerd, "containerd"), (MirrorRuntime.Docker, "docker") }.Where(u => runtime.HasFlag(u.Item1)).Select(u => u.Item2);

    public static string DropIn(ProxyRequest request)
    {
        var lines = new List<string>
        {
            "# Written by ControlPanel: the container runtime's proxy. Reset puts back what was here before.",
            "[Service]",
        };
        if (request.HttpProxy is { } http) lines.Add(Environment("HTTP_PROXY", http.OriginalString));
        if (request.HttpsProxy is { } https) lines.Add(Environment("HTTPS_PROXY", https.OriginalString));
        if (request.NoProxy.Count > 0) lines.Add(Environment("NO_PROXY", string.Join(',', request.NoProxy)));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>systemd expands %-specifiers in Environment=, so a percent-encoded password needs %% (quotes and backslashes are refused at the edge).</summary>
    static string Environment(string name, string value) => $"Environment=\"{name}={value.Replace("%", "%%")}\"";

    protected override async Task<IReadOnlyList<ConfigEdit>> PlanAsync(StageContext context)
    {
        var edits = new List<ConfigEdit?>();
        var slot = ConfigSlot.WholeFile("drop-in");
        foreach (var unit in Units(request.Runtime))
        {
            var path = DropInPath(unit);
            // Always secret in diffs and logs: a drop-in of the user's may hold a password too.
            var file = new ConfigFile(path, "systemd drop-in", request.HasCredentials ? "0600" : "0644", Secret: true) { Folders = [Path.GetDirectoryName(path)!] };
            var current = await context.ReadFileAsync(path);
            var original = await ConfigBackup.ReadAsync(context, path);
            edits.Add(request.IsReset
                ? ConfigPlanner.Reset(file, current, original, [slot])
                : ConfigPlanner.Set(file, current, original, [(slot, DropIn(request))]));
        }
        return edits.OfType<ConfigEdit>().ToList();
    }

    protected override async Task AfterChangeAsync(StageContext context, IReadOnlyList<string> changed)
    {
        if (!await HostFacts.ExistsAsync(context, "/run/systemd/system"))
        {
            context.Log.Info("systemd is not running here: the drop-ins take effect when it starts the units");
            return;
        }
        await Systemd.DaemonReloadAsync(context);
        foreach (var unit in Units(request.Runtime).Where(u => changed.Contains(DropInPath(u))))
            await Systemd.ApplyConfigurationAsync(context, unit);
    }
}
