using System.Globalization;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Settings;
using Hangfire;

namespace ControlPanel.Engine.Jobs;

/// <summary>
/// The panel's Hangfire recurring jobs: the certificate renewal pass and the retention of old runs, each once a
/// day at a time of day drawn once per installation, so that panels everywhere do not all knock on the CA in the
/// same minute (Let's Encrypt asks clients to spread their renewals).
/// </summary>
public static class RecurringJobs
{
    public const string Renewal = "certificate-renewal";
    public const string Retention = "run-retention";
    const string TimeKey = "jobs.dailyMinute";

    public static async Task RegisterAsync(HangfireRunQueue queue, RunEngine engine, IHostFactory hosts)
    {
        queue.AddJob(() => new RenewalJob(new CertificateRenewals(engine, hosts)));
        queue.AddJob(() => new RetentionJob(new RunRetention(engine)));
        var minute = await DailyMinuteAsync(engine.Options.DataDirectory);
        var manager = new RecurringJobManager(queue.Storage);
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        manager.AddOrUpdate<RenewalJob>(Renewal, queue.Name, j => j.ExecuteAsync(CancellationToken.None), Daily(minute), utc);
        manager.AddOrUpdate<RetentionJob>(Retention, queue.Name, j => j.ExecuteAsync(), Daily((minute + 12 * 60) % (24 * 60)), utc);
    }

    static string Daily(int minuteOfDay) => string.Create(CultureInfo.InvariantCulture, $"{minuteOfDay % 60} {minuteOfDay / 60} * * *");

    /// <summary>The minute of the day (UTC) this installation's daily jobs run at, drawn the first time and kept.</summary>
    static async Task<int> DailyMinuteAsync(string dataDirectory) => int.Parse(
        await new SettingsStore(dataDirectory).GetOrAddAsync(TimeKey, () => Random.Shared.Next(24 * 60).ToString(CultureInfo.InvariantCulture)),
        CultureInfo.InvariantCulture);
}

/// <summary>The daily renewal pass; each renewal is a run of its own, so its log and outcome are on the runs page.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class RenewalJob(CertificateRenewals renewals)
{
    [JobDisplayName("Renew the certificates that are due")]
    public async Task<string> ExecuteAsync(CancellationToken cancellation)
    {
        var outcomes = await renewals.RunAsync(force: false, all: false, "panel:renewal", cancellation);
        return string.Join("; ", outcomes.Select(o => $"{o.Domains}: {o.Result}: {o.Detail}"));
    }
}

/// <summary>The daily retention pass over old runs and their logs.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class RetentionJob(RunRetention retention)
{
    [JobDisplayName("Delete runs past the retention")]
    public async Task<string> ExecuteAsync() => $"deleted runs: {string.Join(", ", await retention.ApplyAsync())}";
}
