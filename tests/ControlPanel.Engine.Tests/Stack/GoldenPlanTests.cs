using System.Net;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>The dry run of each plan, per profile and architecture, over scripted hosts, against golden files.</summary>
public class GoldenPlanTests
{
    public const string Data = "/DATA";

    public static readonly StackServices Services = new()
    {
        ResolveHost = (_, _) => Task.FromResult(new[] { IPAddress.Parse("203.0.113.10") }),
        ReferenceClock = (_, _) => Task.FromResult<DateTimeOffset?>(DateTimeOffset.FromUnixTimeSeconds(HostTables.Now)),
    };

    public static InstallRequest Request(string profile, bool acceptEula = false) =>
        new InstallRequest("panel.example.org", "ops@example.org", "faasd", profile, null, "correct-horse-battery") { AcceptEula = acceptEula };

    [Theory]
    [InlineData("seed", "x86_64")]
    [InlineData("current", "x86_64")]
    [InlineData("current", "aarch64")]
    [InlineData("seed", "aarch64")]
    public async Task Install_on_fresh_debian12(string profile, string machine)
    {
        var request = Request(profile, acceptEula: true);
        var preview = await PlanPreviewer.PreviewAsync(InstallPlan.Create(request, Services), request,
            HostTables.FreshDebian12(machine), Data, CancellationToken.None);
        Golden.Assert($"install-{profile}-{(machine == "x86_64" ? "amd64" : "arm64")}.txt", Golden.Render(preview));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Uninstall_of_installed_seed_stack(bool keepData)
    {
        var request = new UninstallRequest(keepData);
        var preview = await PlanPreviewer.PreviewAsync(UninstallPlan.Create(request, Services), request,
            HostTables.InstalledSeed(), Data, CancellationToken.None);
        Golden.Assert($"uninstall-seed{(keepData ? "-keep-data" : "")}.txt", Golden.Render(preview));
    }

    [Fact]
    public async Task Uninstall_on_fresh_host_has_nothing_to_do()
    {
        var request = new UninstallRequest(false);
        var preview = await PlanPreviewer.PreviewAsync(UninstallPlan.Create(request, Services), request,
            HostTables.FreshDebian12(), Data, CancellationToken.None);
        Assert.All(preview.Where(p => p.Name != "leftover-report"), p => Assert.True(p.WouldSkip && p.Error is null, $"{p.Name}: {p.Reason} {p.Error}"));
    }

    [Fact]
    public async Task Seed_on_arm64_fails_preflight_naming_the_fix()
    {
        var request = Request("seed");
        var preview = await PlanPreviewer.PreviewAsync(InstallPlan.Create(request, Services), request,
            HostTables.FreshDebian12("aarch64"), Data, CancellationToken.None);
        var preflight = preview.Single(p => p.Name == "preflight");
        Assert.NotNull(preflight.Error);
        Assert.Contains("containerd 1.4.0", preflight.Error);
        Assert.Contains("no official linux-arm64 build", preflight.Error);
        Assert.Contains("--profile current", preflight.Error);
    }
}
