using System.Globalization;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// The certificate of a request (<see cref="CertificateIssueRequest"/>: the install's, or `cert issue`'s): check = a
/// certificate for the names is in place (key matching, names covered) and not due for renewal; apply = issue it
/// through ACME and write the four files.
/// </summary>
public sealed class CertificateStage(CertificateIssueRequest request, AcmeClientOptions? options = null, TimeProvider? time = null) : Stage
{
    static readonly MessageTemplate AbsolutePath = new("input.absolute-path", "must be an absolute path without ..");

    readonly TimeProvider clock = time ?? TimeProvider.System;

    public override string Name => "certificate";
    public override string Title => "TLS certificate (ACME)";
    public override int MaxAttempts => 2;

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        var target = request.On(context.Host.Key);
        var installed = await CertificateFiles.ReadAsync(context.Host, target.CertDirectory, context.Cancellation);
        if (installed is null) return StageCheck.Needed(NoCertificate.With(("directory", target.CertDirectory)));
        var missing = target.Order.Domains.Except(installed.Names).ToList();
        if (missing.Count > 0) return StageCheck.Needed(NotCovered.With(("directory", target.CertDirectory), ("domains", string.Join(", ", missing))));
        if (!installed.KeyMatches) return StageCheck.Needed(KeyMismatch.With(("directory", target.CertDirectory)));
        var renewAt = RenewalPolicy.RenewAt(installed.NotBefore, installed.NotAfter);
        if (clock.GetUtcNow().UtcDateTime >= renewAt) return StageCheck.Needed(Due.With(("expires", installed.NotAfter.ToString("u", CultureInfo.InvariantCulture))));
        return StageCheck.Satisfied(Valid.With(("domains", string.Join(", ", installed.Names)),
            ("expires", installed.NotAfter.ToString("u", CultureInfo.InvariantCulture)), ("renewAt", renewAt.ToString("u", CultureInfo.InvariantCulture))));
    }

    static readonly MessageTemplate NoCertificate = new("certificate.none", "no certificate in {directory}");
    static readonly MessageTemplate NotCovered = new("certificate.not-covered", "the certificate in {directory} does not cover {domains}");
    static readonly MessageTemplate KeyMismatch = new("certificate.key-mismatch", "privkey.pem in {directory} does not match the certificate");
    static readonly MessageTemplate Due = new("certificate.due", "the certificate expires {expires}: due for renewal");
    static readonly MessageTemplate Valid = new("certificate.valid", "certificate for {domains} valid until {expires} (renewal from {renewAt})");

    public override async Task ApplyAsync(StageContext context)
    {
        var target = request.On(context.Host.Key);
        if (context.DryRun)
        {
            await WritePlaceholdersAsync(context, target);
            return;
        }
        await IssueAsync(context, target, request.Eab, options, clock);
    }

    /// <summary>Issues through ACME as a stage does: a network failure is worth another attempt, the CA's refusal is the stage's error.</summary>
    public static async Task IssueAsync(StageContext context, ManagedCertificate target, ExternalAccountBinding? eab, AcmeClientOptions? options, TimeProvider clock)
    {
        context.Log.Info($"requesting a certificate for {string.Join(", ", target.Order.Domains)} from {target.Order.Directory.Display}");
        using var waiting = context.WaitingFor($"{target.Order.Directory.Display} to validate and issue the certificate");
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

    public static string RequireAbsolute(string field, string path)
    {
        var p = path.Trim();
        if (!p.StartsWith('/') || p.Contains('\0') || p.Split('/').Contains("..") || p.Any(char.IsControl))
            throw new InputException(field, path, AbsolutePath.Message());
        return p.Length > 1 ? p.TrimEnd('/') : p;
    }
}
