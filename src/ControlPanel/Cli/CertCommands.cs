using System.Globalization;
using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ControlPanel.Composition;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>
/// `cert issue|renew|list`: certificates through our own ACME client on this machine, each issue and renewal a run
/// (logged, under the host lock, on the runs page). The HTTP-01 challenge is answered by our own listener on
/// --http-port (every interface, IPv4 and IPv6: the CA connects from outside), or, without --http-port, from nginx's
/// webroot when nginx is active, else by our listener on port 80.
/// </summary>
public static class CertCommands
{
    public static Command Create() => new("cert", "Issue, renew and list TLS certificates (ACME: Let's Encrypt, ZeroSSL, any RFC 8555 CA)")
    {
        Issue(), Renew(), List(),
    };

    static Command Issue()
    {
        var domains = new Option<string[]>("--domain", "-d") { Description = "Name on the certificate; repeat for more names (the first is the subject)" };
        var email = new Option<string?>("--email", "-m") { Description = "Contact e-mail for the ACME account (expiry notices)" };
        var directory = new Option<string?>("--directory")
        {
            Description = $"ACME CA: {string.Join(", ", AcmeDirectorySettings.Presets.Keys)} (default {AcmeDirectorySettings.DefaultPreset}) or an https:// directory URL",
        };
        var directoryCa = new Option<string?>("--directory-ca") { Description = "PEM file of CA certificates to trust for the directory's TLS (a private CA)" };
        var eabKid = new Option<string?>("--eab-kid") { Description = "External Account Binding key id (ZeroSSL and other CAs that need one)" };
        var eabHmac = new Option<string?>("--eab-hmac-key") { Description = "External Account Binding HMAC key (base64url), given with --eab-kid" };
        var httpPort = new Option<int?>("--http-port") { Description = "Answer HTTP-01 with our own listener on this port, all interfaces (default: nginx's webroot if nginx is active, else port 80)" };
        var webroot = new Option<string?>("--webroot") { Description = $"Answer HTTP-01 by writing files under this webroot (default {WebrootHttp01Responder.DefaultWebroot} when nginx is active)" };
        var outDir = new Option<string?>("--out") { Description = $"Directory for fullchain.pem, privkey.pem, chain.pem, cert.pem (default {CertificateFiles.LiveRoot}/DOMAIN)" };
        var keyType = new Option<string?>("--key-type") { Description = "Certificate key: ec (P-256, default) or rsa (2048)" };
        var preferredChain = new Option<string?>("--preferred-chain") { Description = "Use the CA's alternate chain whose top certificate is issued by this CN, if offered" };
        var command = new Command("issue", "Get a certificate now and keep it renewed")
        {
            domains, email, directory, directoryCa, eabKid, eabHmac, httpPort, webroot, outDir, keyType, preferredChain,
        };
        command.SetAction(async (parse, ct) =>
        {
            var port = parse.GetValue(httpPort);
            var root = parse.GetValue(webroot) is { } w ? Path.GetFullPath(w) : null;
            if (port is not null && root is not null) throw new InputException("--webroot", root, InputReasons.CannotCombine.With(("option", "--http-port")));
            CertificateIssueRequest request;
            try
            {
                request = CertificateIssueRequest.Parse([.. parse.GetValue(domains) ?? []], parse.GetValue(email), parse.GetValue(directory), parse.GetValue(directoryCa),
                    parse.GetValue(eabKid), parse.GetValue(eabHmac), parse.GetValue(keyType), parse.GetValue(preferredChain),
                    port is not null ? ChallengeSettings.Standalone : root is not null ? ChallengeSettings.WebrootMode : ChallengeSettings.Auto,
                    port?.ToString(CultureInfo.InvariantCulture), root, parse.GetValue(outDir) is { } o ? Path.GetFullPath(o) : null);
            }
            catch (InputException e) { throw e.Rename(f => Flags.GetValueOrDefault(f, f)); }
            var certDir = request.CertDirectory;
            var names = request.Domains;

            var data = CommonOptions.DataDirectory(parse);
            // The CA's directory asked for on the other core while the run is recorded and queued (0.71 -> 0.60 s).
            var warm = Task.Run(() => AcmeIssuer.WarmUpAsync(request.Directory, ct));
            await using var engine = EngineSetup.Create(data, "cli");
            await engine.RecoverInterruptedAsync();
            var handle = await engine.StartAsync(request, "local", "cli");
            var state = await PlanRunner.WaitQuietly(engine, handle, data);
            await warm;
            if (state != RunState.Succeeded)
            {
                Console.Error.WriteLine($"error: {await engine.FailureOfAsync(handle.RunId)}");
                return ExitCodes.StageFailed;
            }
            // Read from the file the run wrote (cert issue is always on this machine), not with a query of its own: each new
            // query is compiled by EF, tens of milliseconds in a fresh process.
            using var issued = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertificateFiles.Cert(certDir), ct));
            Console.WriteLine($"certificate for {string.Join(", ", names)} in {certDir} (valid until {issued.NotAfter.ToUniversalTime():u}); renewed automatically by `controlpanel cert renew` and the panel");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The flags of `cert issue` whose name is not the request's key in kebab case.</summary>
    static readonly Dictionary<string, string> Flags = new()
    {
        ["acmeExtraDomains"] = "--domain", ["acmeDirectory"] = "--directory", ["acmeDirectoryCa"] = "--directory-ca",
        ["acmeEabKid"] = "--eab-kid", ["acmeEabHmacKey"] = "--eab-hmac-key", ["acmeKeyType"] = "--key-type",
        ["acmePreferredChain"] = "--preferred-chain", ["acmeHttpPort"] = "--http-port", ["acmeWebroot"] = "--webroot", ["acmeCertDir"] = "--out",
    };

    static Command Renew()
    {
        var force = new Option<bool>("--force") { Description = "Renew every certificate now, even if not due" };
        var command = new Command("renew", "Renew the managed certificates that are due (a third of their lifetime or 30 days left); reload nginx after") { force };
        command.SetAction(async (parse, ct) =>
        {
            var data = CommonOptions.DataDirectory(parse);
            await using var engine = EngineSetup.Create(data, "cli");
            await engine.RecoverInterruptedAsync();
            var outcomes = await new CertificateRenewals(engine, EngineSetup.Hosts(data)).RunAsync(parse.GetValue(force), all: true, "cli", ct);
            if (outcomes.Count == 0) Console.WriteLine("no managed certificates (see `controlpanel cert issue`)");
            foreach (var o in outcomes)
                Console.WriteLine($"{o.Domains}: {o.Result switch { RenewalResult.Renewed => "renewed", RenewalResult.NotDue => "not due", RenewalResult.Failed => "FAILED", _ => "waiting" }}: {o.Detail}");
            return outcomes.Any(o => o.Result == RenewalResult.Failed) ? ExitCodes.StageFailed : ExitCodes.Success;
        });
        return command;
    }

    static Command List()
    {
        var command = new Command("list", "Managed certificates: expiry, renewal, last error") { CommonOptions.Json };
        command.SetAction(async (parse, ct) =>
        {
            var list = await CertificateStatus.ListAsync(CommonOptions.DataDirectory(parse), DateTime.UtcNow, ct);
            if (parse.GetValue(CommonOptions.Json)) { Console.WriteLine(JsonSerializer.Serialize(list, JsonOut.Options)); return 0; }
            Console.WriteLine($"{"DOMAINS",-32} {"STATE",-10} {"EXPIRES (UTC)",-17} {"DAYS",5} {"NEXT CHECK (UTC)",-17} {"CA",-20} FILES");
            foreach (var c in list)
            {
                Console.WriteLine($"{c.Domains,-32} {c.State,-10} {c.NotAfter,-17:yyyy-MM-dd HH:mm} {c.DaysLeft,5} {c.NextCheckAt,-17:yyyy-MM-dd HH:mm} {c.Directory,-20} {c.Host}:{c.CertDirectory}");
                if (c.LastError is not null) Console.WriteLine($"  last error ({c.FailureCount}x, {c.LastAttemptAt:u}): {c.LastError}");
            }
            return 0;
        });
        return command;
    }
}
