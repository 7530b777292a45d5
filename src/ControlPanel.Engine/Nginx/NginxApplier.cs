using System.Text.RegularExpressions;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Nginx;

public sealed record NginxApplyResult(bool Changed, FileChange Change);

/// <summary>
/// Puts a new site file live without ever leaving a broken configuration behind: keep a byte-exact copy of the
/// current file (the journal), write the candidate atomically, `nginx -t` the complete configuration, reload and
/// wait for nginx's new workers. If the test or the reload fails, the copy is moved back (a rename: byte for byte)
/// and the error is nginx's own, with file and line. nginx keeps serving its loaded configuration throughout,
/// since it only re-reads files on reload. Same text as on the host: nothing is written and nothing is reloaded.
/// Every step goes through the stage's host, so a dry run records it and SSH hosts work the same.
/// </summary>
public static class NginxApplier
{
    /// <summary>The last good site file while an apply is under way (a journal: it outlives a crash).</summary>
    public static string RollbackPath(string path) => path + ".controlpanel-previous";

    /// <summary>Marks an apply under way when there was no site file before.</summary>
    public static string FreshPath(string path) => path + ".controlpanel-new";

    /// <summary>An earlier apply stopped between writing and proving its file: the file on disk may be untested.</summary>
    public static async Task<bool> InterruptedAsync(StageContext ctx, NginxTarget target)
    {
        // Both asked at once: over SSH each is a round trip.
        var rollback = ctx.Host.StatAsync(RollbackPath(target.SitePath), ctx.Cancellation);
        var fresh = ctx.Host.StatAsync(FreshPath(target.SitePath), ctx.Cancellation);
        return await rollback is not null | await fresh is not null;
    }

    public static async Task<NginxApplyResult> ApplyAsync(StageContext ctx, NginxTarget target, string domain, string candidate)
    {
        var site = target.SitePath;
        var spec = new FileSpec(site, candidate, "0644");
        var current = await ctx.ReadFileAsync(site);
        var stat = await ctx.Host.StatAsync(site, ctx.Cancellation);
        var conflicts = await ConflictsAsync(ctx, target, domain);
        var interrupted = await InterruptedAsync(ctx, target);
        if (!interrupted && current == candidate && stat?.Mode == spec.Mode && stat.Owner == spec.Owner && conflicts.Count == 0)
            return new NginxApplyResult(false, FileChange.For(spec, current, stat));

        if (current is not null && !NginxSiteFile.IsOurs(current) && await ctx.Host.StatAsync(NginxTarget.BackupPath(site), ctx.Cancellation) is null)
            await ctx.RunAsync("cp", "-p", "--", site, NginxTarget.BackupPath(site));
        bool hadPrevious;
        if (interrupted)
        {
            // The journal still holds the last good state; the file on disk is the untested one.
            hadPrevious = await ctx.Host.StatAsync(RollbackPath(site), ctx.Cancellation) is not null;
            ctx.Log.Warn("an earlier apply of the nginx site was interrupted; testing again from the last good file");
        }
        else
        {
            hadPrevious = current is not null;
            await ctx.RunAsync(hadPrevious ? ["cp", "-p", "--", site, RollbackPath(site)] : ["touch", "--", FreshPath(site)]);
        }

        var movedAside = new List<string>();
        var reloading = false;
        try
        {
            foreach (var conflict in conflicts)
            {
                await ctx.RunAsync("mv", "-f", "--", conflict, NginxTarget.BackupPath(conflict));
                movedAside.Add(conflict);
            }
            var change = await ctx.WriteFileAsync(spec);
            await TestAsync(ctx, target, candidate);
            reloading = true;
            await ReloadAsync(ctx, target);
            await ctx.Host.DeleteFileAsync(hadPrevious ? RollbackPath(site) : FreshPath(site), ctx.Cancellation);
            return new NginxApplyResult(true, change);
        }
        catch (Exception e)
        {
            // Even a cancelled apply must not leave the candidate in place.
            await RollBackAsync(ctx, site, hadPrevious, movedAside);
            if (reloading) await ReloadPreviousAsync(ctx, target);
            if (e is CommandFailedException failed && reloading)
                throw new StageFailedException(NotReloaded.With(("error", failed.UserMessage)), e);
            throw;
        }
    }

    /// <summary>Site files other than ours that serve this domain and are not backed up yet (panel.sh's conf.d/default.conf).</summary>
    public static async Task<IReadOnlyList<string>> ConflictsAsync(StageContext ctx, NginxTarget target, string domain)
    {
        var found = new List<string>();
        var namesDomain = new Regex(@"(?m)^\s*server_name\s[^;]*(?<=\s)" + Regex.Escape(domain) + @"(?=[\s;])", RegexOptions.IgnoreCase);
        foreach (var path in target.ConflictingSites.Where(p => p != target.SitePath))
        {
            var text = await ctx.ReadFileAsync(path);
            if (text is not null && !NginxSiteFile.IsOurs(text) && namesDomain.IsMatch(text)
                && await ctx.Host.StatAsync(NginxTarget.BackupPath(path), ctx.Cancellation) is null)
                found.Add(path);
        }
        return found;
    }

    /// <summary>`nginx -t` of the whole configuration; on failure, nginx's first error with the offending line of the candidate.</summary>
    public static async Task TestAsync(StageContext ctx, NginxTarget target, string? candidate = null)
    {
        var result = await ctx.RunAsync(new ProcessSpec([.. target.TestCommand]) { OkExitCodes = Enumerable.Range(0, 256).ToArray() });
        if (result.ExitCode == 0) return;
        var error = NginxErrorParser.Parse(result.StderrTail);
        var message = "nginx rejected the configuration; the previous site file is back in place and nginx keeps serving it:\n  "
                      + (error is null ? string.Join("\n  ", result.StderrTail) : $"[{error.Level}] {error}");
        if (candidate is not null && error?.File == target.SitePath && error.Line is { } line)
        {
            var lines = candidate.Split('\n');
            if (line >= 1 && line <= lines.Length) message += $"\n  line {line}: {lines[line - 1].Trim()}";
        }
        throw new NginxConfigRejectedException(message, error);
    }

    /// <summary>
    /// Reloads, then waits for proof that nginx took the files: a worker it did not have before, or a new master.
    /// `nginx -s reload` and `systemctl reload nginx` exit 0 even when the master cannot apply the new files (a
    /// port in use, say); it then keeps its old workers and writes the reason to its error log.
    /// </summary>
    public static async Task ReloadAsync(StageContext ctx, NginxTarget target)
    {
        var before = await GenerationAsync(ctx, target);
        await ctx.RunAsync([.. target.ReloadCommand]);
        // Not running before: the reload command started it (or failed and said so).
        if (ctx.DryRun || before is null) return;
        var deadline = DateTime.UtcNow + target.ReloadTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var now = await GenerationAsync(ctx, target);
            if (now is not null && (now.Master != before.Master || now.Workers.Except(before.Workers).Any())) return;
            await Task.Delay(100, ctx.Cancellation);
        }
        var log = (await ctx.ProbeAsync("tail", "-n", "50", "--", target.ErrorLog)).Stdout.Split('\n');
        // The first error after the master last began re-reading its files is the reason.
        var since = Array.FindLastIndex(log, l => l.Contains("reconfiguring", StringComparison.Ordinal));
        var error = NginxErrorParser.Parse(log.Skip(Math.Max(since, 0)));
        throw new NginxConfigRejectedException(
            $"nginx did not take the new configuration within {target.ReloadTimeout.TotalSeconds:0} s; the previous site file is back in place:\n  "
            + (error is null ? $"see {target.ErrorLog}" : $"[{error.Level}] {error}"), error);
    }

    sealed record Generation(string Master, IReadOnlyList<string> Workers);

    static async Task<Generation?> GenerationAsync(StageContext ctx, NginxTarget target)
    {
        var r = await ctx.ProbeAsync("sh", "-c", """p=$(cat -- "$1" 2>/dev/null) && kill -0 "$p" 2>/dev/null || exit 3; echo "$p"; ps -o pid= --ppid "$p"; exit 0""",
            "nginx-generation", target.PidFile);
        if (r.ExitCode != 0) return null;
        var pids = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return pids.Length == 0 ? null : new Generation(pids[0], pids[1..]);
    }

    static async Task RollBackAsync(StageContext ctx, string site, bool hadPrevious, IReadOnlyList<string> movedAside)
    {
        var none = CancellationToken.None;
        if (hadPrevious) await ctx.Host.RunAsync(ProcessSpec.Of("mv", "-f", "--", RollbackPath(site), site), none);
        else
        {
            await ctx.Host.DeleteFileAsync(site, none);
            await ctx.Host.DeleteFileAsync(FreshPath(site), none);
        }
        foreach (var path in movedAside)
            await ctx.Host.RunAsync(ProcessSpec.Of("mv", "-f", "--", NginxTarget.BackupPath(path), path), none);
        ctx.Log.Warn($"restored the previous nginx configuration ({site})");
    }

    /// <summary>After a failed reload, nginx must run the restored files again (a reload that failed halfway, or a start that never happened).</summary>
    static async Task ReloadPreviousAsync(StageContext ctx, NginxTarget target)
    {
        try { await ctx.Host.RunAsync(new ProcessSpec([.. target.ReloadCommand]), CancellationToken.None); }
        catch (CommandFailedException e) { ctx.Log.Warn("reloading the previous configuration failed too: " + e.Message); }
    }

    static readonly MessageTemplate NotReloaded = new("nginx.not-reloaded", "nginx did not reload; the previous site file is back in place:\n  {error}");
}
