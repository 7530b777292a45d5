using System.CommandLine;
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
            var names = (parse.GetValue(domains) ?? []).Select(d => HostName.RequireDomain("--domain", d)).Distinct().ToList();
            if (names.Count == 0) throw new InputException("--domain", null, InputReasons.Required.Message());
            var mail = parse.GetValue(email) is { } m ? Inputs.RequireEmail("--email", m) : null;
            var dir = AcmeDirectorySettings.Parse("--directory", parse.GetValue(directory), "--directory-ca", parse.GetValue(directoryCa));
            var eab = ExternalAccountBinding.Parse("--eab-kid", parse.GetValue(eabKid), "--eab-hmac-key", parse.GetValue(eabHmac));
            var port = parse.GetValue(httpPort);
            if (port is not null and not (> 0 and < 65536)) throw new InputException("--http-port", port.ToString(), InputReasons.NotPortNumber.Message());
            var root = parse.GetValue(webroot) is { } w ? CertificateStage.RequireAbsolute("--webroot", Path.GetFullPath(w)) : null;
            if (port is not null && root is not null) throw new InputException("--webroot", root, InputReasons.CannotCombine.With(("option", "--http-port")));
            var certDir = parse.GetValue(outDir) is { } o ? CertificateStage.RequireAbsolute("--out", Path.GetFullPath(o)) : CertificateFiles.DefaultDirectory(names[0]);
            var keyKind = CertificateKeyType.Parse("--key-type", parse.GetValue(keyType));
            var request = new PlanRequest(CertificatePlans.IssueKind, new Dictionary<string, string?>
            {
                ["domain"] = names[0],
                ["acmeExtraDomains"] = names.Count > 1 ? string.Join(",", names.Skip(1)) : null,
                ["email"] = mail,
                ["acmeDirectory"] = parse.GetValue(directory),
                ["acmeDirectoryCa"] = dir.CaBundleFile,
                ["acmeEabKid"] = eab?.KeyId,
                ["acmeKeyType"] = keyKind,
                ["acmePreferredChain"] = parse.GetValue(preferredChain)?.Trim(),
                ["acmeChallenge"] = port is not null ? ChallengeSettings.Standalone : root is not null ? ChallengeSettings.WebrootMode : ChallengeSettings.Auto,
                ["acmeHttpPort"] = port?.ToString(),
                ["acmeWebroot"] = root,
                ["acmeCertDir"] = certDir,
            }.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!),
                eab is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["acmeEabHmacKey"] = parse.GetValue(eabHmac)! });

            var data = CommonOptions.DataDirectory(parse);
            await using var engine = EngineSetup.Create(data, "cli");
            await engine.RecoverInterruptedAsync();
            var handle = await engine.StartAsync(request, "local", "cli");
            var state = await PlanRunner.WaitQuietly(engine, handle, data);
            if (state != RunState.Succeeded)
            {
                Console.Error.WriteLine($"error: {await engine.FailureOfAsync(handle.RunId)}");
                return ExitCodes.StageFailed;
            }
            var issued = (await CertificateStatus.ListAsync(data, DateTime.UtcNow, ct)).FirstOrDefault(c => c.CertDirectory == certDir);
            Console.WriteLine($"certificate for {string.Join(", ", names)} in {certDir} (valid until {issued?.NotAfter:u}); renewed automatically by `controlpanel cert renew` and the panel");
            return ExitCodes.Success;
        });
        return command;
    }

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
