using ControlPanel.Engine.Acme;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Snapshots;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Plans;

/// <summary>
/// The install plan in panel.sh's order: preflight, deps, CNI plugins, containerd, faasd, then nginx and the certificate.
/// The host snapshot comes right after preflight, before the first change. The firewall goes before faasd so
/// that 8080/8081 are never open to the outside, not even for the minutes faasd takes to come up.
/// </summary>
public static class InstallPlan
{
    public static Plan Create(InstallRequest request, StackServices? services = null)
    {
        services ??= StackServices.Default;
        if (request.VersionsFile is not null) services = services.WithManifest(Artifacts.ArtifactManifest.Load("versionsFile", request.VersionsFile));
        return new(InstallRequest.Kind, new List<Stage>
        {
            new PreflightStage(request, services),
            new SnapshotStage(),
            new DepsStage(),
            new CniPluginsStage(request, services),
            new ContainerdStage(request, services),
            new FirewallStage(),
            new FaasdStage(request, services),
            // As in panel.sh, the certificate and the proxy come last. nginx first serves only the HTTP-01
            // challenge path (no certificate yet), the certificate is issued through it, then the TLS site goes live.
            new NginxStage(new NginxRoutes(request.Domain, request.PanelType)),
            new CertificateStage(request.Certificate()),
            new NginxStage(new NginxRoutes(request.Domain, request.PanelType), name: "nginx-tls"),
        });
    }
}
