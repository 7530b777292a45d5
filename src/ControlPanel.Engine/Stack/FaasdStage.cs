using ControlPanel.Engine.Artifacts;
using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// faasd: the binary and the install bundle of the same tag, the user's password in place before
/// `faasd install` runs (faasd only writes a random one when none exists), both services up and the
/// gateway answering on 8080. A faasd under an EULA (0.19+) is refused until the user accepts it.
/// </summary>
public sealed class FaasdStage(InstallRequest request, StackServices services) : Stage
{
    public const string AdminUser = "admin";
    public const string PasswordFile = StackPaths.FaasdSecrets + "/basic-auth-password";
    public const string UserFile = StackPaths.FaasdSecrets + "/basic-auth-user";
    public static readonly string[] Services = ["faasd-provider", "faasd"];

    public override string? SecretFile => PasswordFile;

    string Version => services.Manifest.VersionOf(request.Profile, ArtifactManifest.Faasd);
    string? Eula => services.Manifest.Release(ArtifactManifest.Faasd, Version).Eula;
    string BundleFolder => $"{StackPaths.BundleDir}/{Version}";

    public override string Name => "faasd";
    public override string Title => $"faasd {Version}: services running, gateway on :8080";
    public override TimeSpan Timeout => TimeSpan.FromMinutes(20);

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        if (Eula is { } eula && !request.AcceptEula)
            throw new StageFailedException(NeedsConsent.With(("version", Version), ("eula", eula)));
        var arch = await HostFacts.RequireArchAsync(context);
        if (await ComponentMarker.MismatchAsync(context, ArtifactManifest.Faasd, "faasd", Version, arch) is { } mismatch)
            return StageCheck.Needed(mismatch);
        // Asked at once (over SSH each is a round trip; the binary and both units are one ask), judged in order.
        var existing = HostFiles.ExistingAsync(context, [StackPaths.FaasdBinary, StackPaths.FaasdUnit, StackPaths.FaasdProviderUnit]);
        var user = context.ReadFileAsync(UserFile);
        var passwordRead = context.ReadFileAsync(PasswordFile);
        var states = Systemd.StatesAsync(context, Services);
        await Task.WhenAll(existing, user, passwordRead, states);
        var present = await existing;
        if (!present.Contains(StackPaths.FaasdBinary)) return StageCheck.Needed(CheckReasons.Missing.With(("path", StackPaths.FaasdBinary)));
        if (await user != AdminUser) return StageCheck.Needed(OtherUser.With(("file", UserFile), ("user", AdminUser)));
        var password = await passwordRead;
        if (password is null || (!request.PasswordGenerated && password != request.FaasdPassword))
            return StageCheck.Needed(OtherPassword.Message());
        foreach (var unit in new[] { StackPaths.FaasdUnit, StackPaths.FaasdProviderUnit })
            if (!present.Contains(unit)) return StageCheck.Needed(UnitMissing.With(("path", unit)));
        foreach (var service in await states)
            if (!service.Active) return StageCheck.Needed(CheckReasons.NotRunning.With(("unit", $"{service.Unit}.service")));
        if (!await GatewayAnswersAsync(context)) return StageCheck.Needed(GatewayDown.Message());
        return StageCheck.Satisfied(Running.With(("version", Version)));
    }

    static readonly MessageTemplate OtherUser = new("faasd.other-user", "{file} does not name {user}");
    static readonly MessageTemplate OtherPassword = new("faasd.other-password", "the admin password on the host is not the one asked for");
    static readonly MessageTemplate UnitMissing = new("faasd.unit-missing", "{path} is missing (faasd install has not run)");
    static readonly MessageTemplate GatewayDown = new("faasd.gateway-down", "the gateway does not answer on http://127.0.0.1:8080/healthz");
    static readonly MessageTemplate Running = new("faasd.running", "faasd {version} running, gateway answers");
    static readonly MessageTemplate NeedsConsent = new("faasd.needs-consent", "faasd {version} is not open source and needs your consent:\n{eula}");
    static readonly MessageTemplate GatewayTimeout = new("faasd.gateway-timeout",
        "the gateway did not answer on http://127.0.0.1:8080/healthz within {minutes} min: see `journalctl -u faasd -u faasd-provider` (images may fail to pull)");

    public override async Task ApplyAsync(StageContext context)
    {
        var arch = await HostFacts.RequireArchAsync(context);
        var artifacts = services.Manifest.Resolve(ArtifactManifest.Faasd, Version, arch)
            .Concat(services.Manifest.Resolve(ArtifactManifest.FaasdBundle, Version, arch)).ToList();
        var files = await StageArtifacts.FetchAsync(context, request, services, artifacts);
        var binary = files.Single(f => f.Artifact.Component == ArtifactManifest.Faasd);

        if (Eula is { } eula)
        {
            context.Log.Info($"EULA accepted by the user for faasd {Version}: {eula}");
            await context.WriteFileAsync(new FileSpec(StackPaths.FaasdEulaRecord, $"faasd {Version}: EULA accepted with --accept-eula\n{eula}\n", "0644"));
        }
        await StageArtifacts.UploadAsync(context, binary, StackPaths.FaasdBinary, "0755");
        foreach (var f in files.Where(f => f.Artifact.Component == ArtifactManifest.FaasdBundle))
            await StageArtifacts.UploadAsync(context, f, $"{BundleFolder}/{f.Artifact.File}", "0644");

        await context.WriteFileAsync(new FileSpec(UserFile, AdminUser, "0600"));
        if (!(request.PasswordGenerated && await HostFacts.ExistsAsync(context, PasswordFile)))
            await context.WriteFileAsync(new FileSpec(PasswordFile, request.FaasdPassword, "0600", secret: true));

        // faasd install copies the bundle into /var/lib/faasd, writes the units to /lib/systemd/system, enables and starts them.
        await context.RunAsync(new ProcessSpec([StackPaths.FaasdBinary, "install"]) { WorkingDirectory = BundleFolder, Timeout = TimeSpan.FromMinutes(5) });
        // A running stack keeps the old binary or password until restarted.
        await Systemd.RestartAsync(context, Services);
        await new ComponentMarker(ArtifactManifest.Faasd, Version, arch, binary.Sha256, null).WriteAsync(context);
    }

    public override async Task VerifyAsync(StageContext context)
    {
        if (!await Poll.UntilAsync(context, services, "the faasd gateway to answer", services.GatewayWait, () => GatewayAnswersAsync(context)))
            throw new StageFailedException(GatewayTimeout.With(("minutes", services.GatewayWait.TotalMinutes.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));
        await base.VerifyAsync(context);
    }

    static async Task<bool> GatewayAnswersAsync(StageContext context)
    {
        var r = await context.ProbeAsync("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "http://127.0.0.1:8080/healthz");
        return r.Stdout.Trim() == "200";
    }
}
