using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Stack;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>The dashboard's service health from `systemctl show` (systemd 252's output, as on Debian 12).</summary>
public sealed class ServiceHealthTests
{
    const string Show = """
        Id=containerd.service
        LoadState=loaded
        ActiveState=active
        SubState=running
        ActiveEnterTimestamp=@1765000000

        ActiveEnterTimestamp=
        Id=faasd.service
        LoadState=not-found
        ActiveState=inactive
        SubState=dead

        Id=nginx.service
        LoadState=loaded
        ActiveState=failed
        SubState=failed
        ActiveEnterTimestamp=@1764990000

        """;

    [Fact]
    public void Each_unit_says_whether_it_is_installed_active_and_since_when()
    {
        var health = ServiceHealth.Parse(Show);
        Assert.Equal(["containerd", "faasd", "nginx"], health.Select(h => h.Unit));
        Assert.Equal(new ServiceHealth("containerd", true, "active", "running", DateTime.UnixEpoch.AddSeconds(1765000000)), health[0]);
        Assert.True(health[0].Active);
        Assert.Equal(new ServiceHealth("faasd", false, "inactive", "dead", null), health[1]);
        Assert.False(health[2].Active);
        Assert.Equal("failed", health[2].ActiveState);
    }

    [Fact]
    public async Task Where_systemd_does_not_run_there_is_nothing_to_read()
    {
        // This machine's tests run without systemd as PID 1 when /run/systemd/system is absent; with it, the real units answer.
        await using var host = new LocalHost();
        var health = await ServiceHealth.ReadAsync(host, ServiceHealth.StackUnits);
        if (Directory.Exists("/run/systemd/system"))
            Assert.Equal(ServiceHealth.StackUnits, health!.Select(h => h.Unit));
        else
            Assert.Null(health);
    }
}
