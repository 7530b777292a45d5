using ControlPanel.Engine.HostOps;
using static ControlPanel.Engine.Tests.Stack.StageChecks;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>
/// Units' states read in one `systemctl show`, as systemd prints them (here from a table; the VM system test runs the
/// uninstall that uses it against a real systemd).
/// </summary>
public class SystemdStatesTests
{
    const string Show = "systemctl show --property=LoadState,ActiveState,UnitFileState -- faasd faasd-provider containerd";

    [Fact]
    public async Task Each_unit_gets_its_own_block_in_the_order_asked()
    {
        var host = new ScriptedHost().On(Show, 0,
            "LoadState=loaded\nActiveState=active\nUnitFileState=enabled\n\n" +
            "ActiveState=inactive\nUnitFileState=static\nLoadState=loaded\n\n" +
            "LoadState=not-found\nActiveState=inactive\nUnitFileState=\n");
        var states = await Systemd.StatesAsync(Context(host), "faasd", "faasd-provider", "containerd");
        Assert.Equal(
        [
            new Systemd.UnitState("faasd", Known: true, Active: true, Enabled: true),
            new Systemd.UnitState("faasd-provider", Known: true, Active: false, Enabled: true),
            new Systemd.UnitState("containerd", Known: false, Active: false, Enabled: false),
        ], states);
        Assert.Equal([true, true, false], states.Select(s => s.ActiveOrEnabled));
    }

    [Theory]
    [InlineData("disabled", false)]
    [InlineData("masked", false)]
    [InlineData("linked", false)]
    [InlineData("enabled-runtime", true)]
    [InlineData("indirect", true)]
    public async Task Enabled_means_what_is_enabled_says(string unitFileState, bool enabled)
    {
        var host = new ScriptedHost().On("systemctl show --property=LoadState,ActiveState,UnitFileState -- faasd", 0,
            $"LoadState=loaded\nActiveState=inactive\nUnitFileState={unitFileState}\n");
        Assert.Equal(enabled, (await Systemd.StatesAsync(Context(host), "faasd"))[0].Enabled);
    }

    [Fact]
    public async Task An_answer_without_a_block_per_unit_is_an_error_not_a_guess()
    {
        var host = new ScriptedHost().On(Show, 0, "LoadState=loaded\nActiveState=active\nUnitFileState=enabled\n");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Systemd.StatesAsync(Context(host), "faasd", "faasd-provider", "containerd"));
        Assert.Contains("1 blocks", e.Message);
    }

    [Fact]
    public async Task Without_systemd_to_ask_no_unit_is_known()
    {
        var host = new ScriptedHost().On(Show, 1);
        Assert.All(await Systemd.StatesAsync(Context(host), "faasd", "faasd-provider", "containerd"), s => Assert.False(s.Known || s.Active || s.Enabled));
    }
}
