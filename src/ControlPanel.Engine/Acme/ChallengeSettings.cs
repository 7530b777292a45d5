using System.Net;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// How HTTP-01 is answered. "webroot": a file under Webroot that nginx serves; "standalone": our own listener on
/// ListenAddress:HttpPort (only on the machine the engine runs on); "auto": webroot when nginx is active on the
/// host, else standalone. ListenAddress "::" means every interface, IPv4 included: the CA connects from outside.
/// </summary>
public sealed record ChallengeSettings(string Mode = ChallengeSettings.Auto, int HttpPort = 80, string Webroot = WebrootHttp01Responder.DefaultWebroot, string ListenAddress = "::")
{
    public const string Auto = "auto";
    public const string WebrootMode = "webroot";
    public const string Standalone = "standalone";

    public static int ParsePort(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return 80;
        return int.TryParse(value.Trim(), out var port) && port is > 0 and < 65536 ? port
            : throw new InputException(field, value, InputReasons.NotPortNumber.Message());
    }

    public static string ParseMode(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Auto : Inputs.RequireOneOf(field, value, Auto, WebrootMode, Standalone);

    /// <summary>Opens the responder this setting calls for on the host, deciding "auto" by whether nginx is active there.</summary>
    public async Task<IHttp01Responder> OpenAsync(IHost host, CancellationToken ct)
    {
        var mode = Mode == Auto ? (await NginxActiveAsync(host, ct) ? WebrootMode : Standalone) : Mode;
        if (mode == WebrootMode) return new WebrootHttp01Responder(host, Webroot);
        if (host.Key != "local")
            throw new AcmeException($"nginx is not active on {host.Key} to serve the HTTP-01 challenge from {Webroot}, and the standalone listener only runs on this machine");
        return StandaloneHttp01Responder.Start(IPAddress.Parse(ListenAddress), HttpPort);
    }

    public static async Task<bool> NginxActiveAsync(IHost host, CancellationToken ct)
    {
        var probe = ProcessSpec.Probe("systemctl", "is-active", "--quiet", "nginx") with { OkExitCodes = Enumerable.Range(0, 256).ToArray(), Timeout = TimeSpan.FromSeconds(30) };
        try { return (await host.RunAsync(probe, ct)).ExitCode == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }
}
