using ControlPanel.Engine.Jobs;
using ControlPanel.Web.Auth;
using Hangfire;
using Hangfire.Dashboard;

namespace ControlPanel.Web.Jobs;

/// <summary>
/// Hangfire's dashboard at /jobs, for a signed-in administrator only: the endpoint's policy sends anyone else to the
/// sign-in page, and the dashboard's own filter refuses them too (Hangfire's default, local requests only, would let
/// everyone in behind a reverse proxy, where every request comes from loopback).
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/jobs";

    public static void AddJobsDashboard(this IServiceCollection services, HangfireRunQueue queue) =>
        services.AddHangfire(c => c.UseStorage(queue.Storage));

    public static void MapJobsDashboard(this WebApplication app, HangfireRunQueue queue) =>
        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [new AdministratorOnly()],
            AppPath = "/runs",
            DashboardTitle = "ControlPanel jobs",
            DisplayStorageConnectionString = false,
        }, queue.Storage).RequireAuthorization(AuthSetup.AdministratorPolicy);

    /// <summary>The link to one job's page in the dashboard.</summary>
    public static string JobLink(string jobId) => $"{Path}/jobs/details/{Uri.EscapeDataString(jobId)}";

    sealed class AdministratorOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User is { Identity.IsAuthenticated: true } user && user.IsInRole(AuthSetup.AdministratorRole);
    }
}
