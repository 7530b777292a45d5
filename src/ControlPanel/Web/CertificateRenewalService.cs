using ControlPanel.Cli;
using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Processes;

namespace ControlPanel.Web;

/// <summary>
/// The recurring renewal job: every hour it renews the managed certificates whose next check has come
/// (daily when healthy, sooner with backoff after a failure). Outcomes go to the panel's log and the database.
/// </summary>
public sealed class CertificateRenewalService(PanelSettings settings, ILogger<CertificateRenewalService> logger) : BackgroundService
{
    static readonly TimeSpan Tick = TimeSpan.FromHours(1);
    static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var renewer = new CertificateRenewer(settings.DataDirectory, EngineSetup.Hosts(settings.DataDirectory));
        var log = new LoggerLog(logger);
        try
        {
            await Task.Delay(FirstRun, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    foreach (var o in await renewer.RunAsync(force: false, all: false, log, stoppingToken))
                        if (o.Result is RenewalResult.Renewed or RenewalResult.Failed)
                            logger.Log(o.Result == RenewalResult.Failed ? LogLevel.Warning : LogLevel.Information, "certificate {Domains}: {Result}: {Detail}", o.Domains, o.Result, o.Detail);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "certificate renewal pass failed");
                }
                await Task.Delay(Tick, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    sealed class LoggerLog(ILogger logger) : IStageLog
    {
        public void Info(string message) => logger.LogInformation("{Message}", message);
        public void Warn(string message) => logger.LogWarning("{Message}", message);
        public void Output(OutputLine line) => logger.LogInformation("{Line}", line.Text);
    }
}
