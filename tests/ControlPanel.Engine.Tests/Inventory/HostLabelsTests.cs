using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Tests.Inventory;

/// <summary>Labels (NAME or KEY=VALUE) on inventory hosts, and choosing a batch's hosts by them.</summary>
public class HostLabelsTests : IDisposable
{
    readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    static readonly IReadOnlyList<InventoryHost> Fleet = InventoryFile.Parse("""
        edge1 ubuntu@192.0.2.51 labels=pi,site=paris
        edge2 ubuntu@192.0.2.52 labels=site=paris,role=cache
        edge3 ubuntu@192.0.2.53 labels=pi,site=lyon
        """);

    [Fact]
    public void Key_value_labels_parse_beside_plain_ones()
    {
        Assert.Equal(["pi", "site=paris"], Fleet[0].Labels);
        Assert.Equal(["site=paris", "role=cache"], Fleet[1].Labels);
    }

    [Theory]
    [InlineData("site=paris", "edge1,edge2")]
    [InlineData("pi", "edge1,edge3")]
    [InlineData("pi,site=paris", "edge1")]
    public void Hosts_with_every_label_are_selected(string labels, string expected)
    {
        Assert.Equal(expected.Split(','), HostLabels.Select(Fleet, labels.Split(','), "fleet.txt").Select(h => h.Name));
    }

    [Fact]
    public void A_label_that_selects_no_host_is_an_error_naming_the_field_and_the_labels_there()
    {
        var e = Assert.Throws<InputException>(() => HostLabels.Select(Fleet, ["site=rome"], "fleet.txt"));
        Assert.Equal("label", e.Field);
        Assert.Contains("\"site=rome\" selects no host of fleet.txt (labels there: pi, role=cache, site=lyon, site=paris)", e.Message);
        var both = Assert.Throws<InputException>(() => HostLabels.Select(Fleet, ["role=cache", "pi"], "fleet.txt"));
        Assert.Contains("\"role=cache, pi\" selects no host", both.Message);
    }

    [Theory]
    [InlineData("Site=paris")]
    [InlineData("site=")]
    [InlineData("=paris")]
    [InlineData("site=par is")]
    [InlineData("site=a=b")]
    public void Malformed_labels_are_refused(string label)
    {
        Assert.Contains("is not a valid label", Assert.Throws<InputException>(() => HostLabels.Select(Fleet, [label], "fleet.txt")).Message);
        Assert.Contains("is not a valid label", Assert.Throws<InputException>(() => InventoryHost.Create("edge9", "ubuntu@192.0.2.59", null, [label])).Message);
    }

    [Fact]
    public async Task Labels_select_from_the_file_when_given_else_from_the_stored_inventory_after_the_named_hosts()
    {
        var data = tmp.Sub("data");
        ControlPanelDb.Migrate(data);
        await new InventoryStore(data).AddAsync(InventoryHost.Create("stored1", "ubuntu@192.0.2.71", null, ["site=paris"]));
        await new InventoryStore(data).AddAsync(InventoryHost.Create("stored2", "ubuntu@192.0.2.72", null, ["site=lyon"]));
        var file = Path.Combine(tmp.Sub("files"), "fleet.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "edge1 ubuntu@192.0.2.51 labels=site=paris\nedge2 ubuntu@192.0.2.52 labels=site=lyon\n");

        var stored = await FleetTargets.SelectAsync(data, ["local"], null, ["site=paris"]);
        Assert.Equal(["local", "stored1"], stored.Targets.Select(t => t.Name));
        Assert.True(stored.IsBatch);
        Assert.Null(stored.FileHosts);

        var fromFile = await FleetTargets.SelectAsync(data, [], file, ["site=lyon"]);
        Assert.Equal(["edge2"], fromFile.Targets.Select(t => t.Name));
        Assert.Equal(2, fromFile.FileHosts!.Count);

        Assert.Equal(["edge1", "edge2"], (await FleetTargets.SelectAsync(data, [], file, [])).Targets.Select(t => t.Name));
        var one = await FleetTargets.SelectAsync(data, ["stored2"], null, []);
        Assert.False(one.IsBatch);
        Assert.Contains("selects no host of the inventory", (await Assert.ThrowsAsync<InputException>(() => FleetTargets.SelectAsync(data, [], null, ["pi"]))).Message);
    }
}
