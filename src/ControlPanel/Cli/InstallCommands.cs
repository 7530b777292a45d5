using System.CommandLine;
using ControlPanel.Composition;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>`install` and `uninstall`: run a plan headless, or print its dry run.</summary>
public static class InstallCommands
{
    static readonly MessageTemplate YesRequired = new("input.yes-required", "is required to uninstall without a terminal to confirm on");

    public static Command Install(PlanSource plans)
    {
        var domain = new Option<string?>("--domain", "-d") { Description = "Domain the certificate and nginx site are for" };
        var email = new Option<string?>("--email", "-m", "--mail") { Description = "Contact e-mail for the ACME account" };
        var panelType = new Option<string?>("--panel-type", "-t", "--paneltype") { Description = "faasd (default) or node (panel.sh: 0 or 1)" };
        var passwordFile = new Option<string?>("--password-file") { Description = "File holding the faasd admin password (default: generated, printed once)" };
        var passInit = new Option<string?>("--passinit", "-p") { Description = "The faasd admin password itself, as panel.sh took it (visible in the process list; prefer --password-file)" };
        var profile = new Option<string?>("--profile") { Description = "Versions profile: seed (panel.sh's pins, default) or current" };
        var mirror = new Option<string?>("--download-mirror") { Description = "Base URL of a mirror of the release artifacts (panel.sh's MIRROR_PATH)" };
        var acceptEula = new Option<bool>("--accept-eula") { Description = "Accept the faasd EULA (profiles that install faasd 0.19+, which is not open source)" };
        var versionsFile = new Option<string?>("--versions-file") { Description = "A versions manifest replacing the built-in one (for a mirror that serves its own builds)" };
        var confirmHash = new Option<string[]>("--confirm-hash") { Description = "sha256 of a downloaded file without an official checksum (faasd 0.9.5), after you checked it", AllowMultipleArgumentsPerToken = true };
        var acmeDirectory = new Option<string?>("--acme-directory") { Description = "Certificate authority: letsencrypt (default), letsencrypt-staging, zerossl or an ACME directory URL" };
        var acmeDirectoryCa = new Option<string?>("--acme-directory-ca") { Description = "PEM file of a CA trusted for the ACME directory's TLS" };
        var eabKid = new Option<string?>("--eab-kid") { Description = "External account binding key id (ZeroSSL and other CAs that need one)" };
        var eabHmacKey = new Option<string?>("--eab-hmac-key") { Description = "External account binding HMAC key (base64url)" };
        var command = new Command("install", "Install the stack: deps, CNI plugins, containerd, faasd, certificate, nginx")
        {
            domain, email, panelType, passwordFile, passInit, profile, mirror, acceptEula, confirmHash, versionsFile,
            acmeDirectory, acmeDirectoryCa, eabKid, eabHmacKey,
        };
        command.With().SetAction(async (parse, ct) =>
        {
            var password = parse.GetValue(passwordFile) is { } file ? CommonOptions.ReadSecretFile("--password-file", file) : parse.GetValue(passInit);
            var generated = password is null;
            var request = InstallRequest.Parse(parse.GetValue(domain), parse.GetValue(email), parse.GetValue(panelType),
                parse.GetValue(profile), parse.GetValue(mirror), password, StackPlans.Profiles,
                parse.GetValue(acceptEula), parse.GetValue(confirmHash), parse.GetValue(versionsFile),
                parse.GetValue(acmeDirectory), parse.GetValue(acmeDirectoryCa), parse.GetValue(eabKid), parse.GetValue(eabHmacKey));
            var code = await PlanRunner.ExecuteAsync(parse, request, ct, plans.Current());
            // On several hosts, some may have succeeded even when one failed: they got this password too.
            var fleet = PlanOptions.IsBatch(parse);
            if (generated && !parse.GetValue(PlanOptions.DryRun) && (code == ExitCodes.Success || (fleet && code == ExitCodes.StageFailed)))
                Console.WriteLine($"faasd admin password{(fleet ? " of every host of the batch" : "")} (shown once; a password already on the host is kept; stored in /var/lib/faasd/secrets/basic-auth-password): {request.FaasdPassword}");
            return code;
        });
        return command;
    }

    public static Command Uninstall(PlanSource plans)
    {
        var keepData = new Option<bool>("--keep-data") { Description = "Keep faasd secrets and data, containerd images and certificates" };
        var command = new Command("uninstall", "Remove the stack cleanly: services, containers, shims, mounts, bridge, CNI state, files")
        {
            keepData,
        };
        command.With().SetAction((parse, ct) =>
        {
            if (!parse.GetValue(PlanOptions.DryRun) && !parse.GetValue(PlanOptions.Yes) && Console.IsInputRedirected)
                throw new InputException("--yes", null, YesRequired.Message());
            return PlanRunner.ExecuteAsync(parse, new UninstallRequest(parse.GetValue(keepData)), ct, plans.Current());
        });
        return command;
    }
}
