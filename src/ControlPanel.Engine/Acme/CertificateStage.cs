using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// The install plan's certificate: check = a certificate for the domain is in place (key matching, names
/// covered) and not due for renewal; apply = issue it through ACME and write the four files.
/// Inputs: domain, email, and optionally acmeExtraDomains (more names, comma-separated), acmeDirectory (preset or URL), acmeDirectoryCa (PEM file),
/// acmeEabKid with the secret acmeEabHmacKey, acmeKeyType (ec|rsa), acmePreferredChain,
/// acmeChallenge (auto|webroot|standalone), acmeHttpPort, acmeWebroot, acmeCertDir.
/// </summary>
public sealed class CertificateStage(AcmeClientOptions? options = null, TimeProvider? time = null) : Stage
{
    readonly TimeProvider clock = time ?? TimeProvider.System;

    public override string Name => "certificate";
    public override string Title => "TLS certificate (ACME)";
    public override int MaxAttempts => 2;

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var target = Target(context);
        var installed = await CertificateFiles.ReadAsync(context.Host, target.CertDirectory, context.Cancellation);
        if (installed is null) return StageCheck.Needed($"no certificate in {target.CertDirectory}");
        var missing = target.Order.Domains.Except(installed.Names).ToList();
        if (missing.Count > 0) return StageCheck.Needed($"the certificate in {target.CertDirectory} does not cover {string.Join(", ", missing)}");
        if (!installed.KeyMatches) return StageCheck.Needed($"privkey.pem in {target.CertDirectory} does not match the certificate");
        var renewAt = RenewalPolicy.RenewAt(installed.NotBefore, installed.NotAfter);
        if (clock.GetUtcNow().UtcDateTime >= renewAt) return StageCheck.Needed($"the certificate expires {installed.NotAfter:u}: due for renewal");
        return StageCheck.Satisfied($"certificate for {string.Join(", ", installed.Names)} valid until {installed.NotAfter:u} (renewal from {renewAt:u})");
    }

    public override async Task ApplyAsync(StageContext context)
    {
        var target = Target(context);
        var r = context.Request;
        var eab = ExternalAccountBinding.Parse("acmeEabKid", r.Input("acmeEabKid"), "acmeEabHmacKey", r.Secret("acmeEabHmacKey"));
        if (context.DryRun)
        {
            await WritePlaceholdersAsync(context, target);
            return;
        }
        await IssueAsync(context, target, eab, options, clock);
    }

    /// <summary>Issues through ACME as a stage does: a network failure is worth another attempt, the CA's refusal is the stage's error.</summary>
    public static async Task IssueAsync(StageContext context, ManagedCertificate target, ExternalAccountBinding? eab, AcmeClientOptions? options, TimeProvider clock)
    {
        context.Log.Info($"requesting a certificate for {string.Join(", ", target.Order.Domains)} from {target.Order.Directory.Display}");
        try
        {
            await new CertificateService(context.DataDirectory, options, clock).IssueAsync(context.Host, target, eab, context.Log, context.Cancellation);
        }
        // Unreachable or slow to answer (a busy CA, a slow first TLS handshake on a small host): worth another attempt.
        catch (AcmeException e) when (e.InnerException is HttpRequestException or TaskCanceledException)
        {
            throw new TransientStageException(e.Message, e);
        }
        catch (AcmeException e)
        {
            throw new StageFailedException(e.Message, e);
        }
    }

    /// <summary>A dry run does not ask the CA; it shows which files would be written and with which modes.</summary>
    static async Task WritePlaceholdersAsync(StageContext context, ManagedCertificate target)
    {
        var note = $"(issued by {target.Order.Directory.Display} for {string.Join(", ", target.Order.Domains)} when applied)\n";
        await context.WriteFileAsync(new Hosts.FileSpec(CertificateFiles.PrivateKey(target.CertDirectory), note, "0600", secret: true));
        foreach (var file in new[] { CertificateFiles.Cert(target.CertDirectory), CertificateFiles.Chain(target.CertDirectory), CertificateFiles.FullChain(target.CertDirectory) })
            await context.WriteFileAsync(new Hosts.FileSpec(file, note, "0644"));
    }

    static ManagedCertificate Target(StageContext context)
    {
        var r = context.Request;
        var domain = HostName.RequireDomain("domain", r.Input("domain"));
        var email = string.IsNullOrWhiteSpace(r.Input("email")) ? null : Inputs.RequireEmail("email", r.Input("email"));
        var directory = AcmeDirectorySettings.Parse("acmeDirectory", r.Input("acmeDirectory"), "acmeDirectoryCa", r.Input("acmeDirectoryCa"));
        var certDir = string.IsNullOrWhiteSpace(r.Input("acmeCertDir")) ? CertificateFiles.DefaultDirectory(domain) : RequireAbsolute("acmeCertDir", r.Input("acmeCertDir")!);
        var challenge = new ChallengeSettings(
            ChallengeSettings.ParseMode("acmeChallenge", r.Input("acmeChallenge")),
            ChallengeSettings.ParsePort("acmeHttpPort", r.Input("acmeHttpPort")),
            string.IsNullOrWhiteSpace(r.Input("acmeWebroot")) ? WebrootHttp01Responder.DefaultWebroot : RequireAbsolute("acmeWebroot", r.Input("acmeWebroot")!));
        var extra = (r.Input("acmeExtraDomains") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => HostName.RequireDomain("acmeExtraDomains", d));
        var order = new CertificateOrderSpec([.. new[] { domain }.Concat(extra).Distinct()], email, directory,
            CertificateKeyType.Parse("acmeKeyType", r.Input("acmeKeyType")),
            string.IsNullOrWhiteSpace(r.Input("acmePreferredChain")) ? null : r.Input("acmePreferredChain")!.Trim());
        return new ManagedCertificate(ManagedCertificate.HostSpecOf(context.Host.Key), certDir, order, challenge);
    }

    public static string RequireAbsolute(string field, string path)
    {
        var p = path.Trim();
        if (!p.StartsWith('/') || p.Contains('\0') || p.Split('/').Contains("..") || p.Any(char.IsControl))
            throw new InputException(field, path, "must be an absolute path without ..");
        return p.Length > 1 ? p.TrimEnd('/') : p;
    }
}
