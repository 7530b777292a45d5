using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Tests.Inventory;

/// <summary>The inventory file format: strict, line-numbered errors, no passwords in any spelling.</summary>
public class InventoryFileTests
{
    [Fact]
    public void A_well_formed_file_gives_every_host_with_its_key_labels_and_port()
    {
        var hosts = InventoryFile.Parse("""
            # the edge fleet
            edge1   ubuntu@192.168.3.51        key=/root/.ssh/edge_ed25519 labels=pi,edge

            edge2	ubuntu@[fd00::52]:2222      labels=pi
            cloud-1 hzw1@cloud.example.com:22
            """);
        Assert.Equal(["edge1", "edge2", "cloud-1"], hosts.Select(h => h.Name));
        Assert.Equal(new SshTarget("ubuntu", "192.168.3.51", 22), hosts[0].Target);
        Assert.Equal("/root/.ssh/edge_ed25519", hosts[0].KeyPath);
        Assert.Equal(["pi", "edge"], hosts[0].Labels);
        Assert.Equal(new SshTarget("ubuntu", "fd00::52", 2222), hosts[1].Target);
        Assert.Null(hosts[1].KeyPath);
        Assert.Equal("ssh://hzw1@cloud.example.com:22", hosts[2].Spec);
    }

    [Theory]
    [InlineData("edge1 ubuntu@10.0.0.1 password=raspberry", "inventory:1: \"password\" is refused: passwords are never stored")]
    [InlineData("edge1 ubuntu@10.0.0.1 PASS=raspberry", "\"pass\" is refused: passwords are never stored")]
    [InlineData("edge1 ubuntu@10.0.0.1 ansible_ssh_pass=x", "is refused: passwords are never stored")]
    [InlineData("edge1 ubuntu:raspberry@10.0.0.1", "holds a password (user:password@host), which is refused")]
    public void A_password_in_any_spelling_is_refused_and_never_echoed(string line, string message)
    {
        var e = Assert.Throws<InputException>(() => InventoryFile.Parse(line));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("raspberry", e.Message);
    }

    [Theory]
    [InlineData("edge1", "inventory:1: \"edge1\" must be: NAME user@host[:port]")]
    [InlineData("edge1 10.0.0.1", "must be user@host[:port] (the SSH user is required)")]
    [InlineData("edge;rm ubuntu@10.0.0.1", "\"edge;rm\" is not a valid host name for the inventory")]
    [InlineData("../etc ubuntu@10.0.0.1", "is not a valid host name for the inventory")]
    [InlineData("-x ubuntu@10.0.0.1", "is not a valid host name for the inventory")]
    [InlineData("Edge1 ubuntu@10.0.0.1", "is not a valid host name for the inventory")]
    [InlineData("local root@10.0.0.1", "is reserved for this machine")]
    [InlineData("edge1 ubuntu@$(reboot)", "is not of the form ssh://user@host[:port]")]
    [InlineData("edge1 ubuntu@10.0.0.1:70000", "has a port outside 1-65535")]
    [InlineData("edge1 ubuntu@10.0.0.1 key=id_rsa", "key: \"id_rsa\" must be an absolute path")]
    [InlineData("edge1 ubuntu@10.0.0.1 key=/root/../etc/shadow", "must be an absolute path to a private key file, without spaces or '..'")]
    [InlineData("edge1 ubuntu@10.0.0.1 labels=Pi;x", "is not a valid label")]
    [InlineData("edge1 ubuntu@10.0.0.1 port=22", "\"port=22\" is not a known option")]
    [InlineData("edge1 ubuntu@10.0.0.1 key=/a key=/b", "\"key=/b\" repeats an option")]
    [InlineData("edge1 ubuntu@10.0.0.1 -oProxyCommand=x", "is not a known option")]
    public void Hostile_or_incomplete_lines_are_refused_naming_the_line(string line, string message)
    {
        var e = Assert.Throws<InputException>(() => InventoryFile.Parse("# header\n" + line, "fleet.txt"));
        Assert.Contains(message.Replace("inventory:1", "fleet.txt:2"), e.Message);
        Assert.StartsWith("fleet.txt:2", e.Message);
    }

    [Fact]
    public void Duplicate_names_and_duplicate_addresses_are_refused()
    {
        Assert.Contains("\"a\" is named twice", Assert.Throws<InputException>(() => InventoryFile.Parse("a u@h1\na u@h2")).Message);
        Assert.Contains("is already in the inventory under another name", Assert.Throws<InputException>(() => InventoryFile.Parse("a u@h1\nb u@h1:22")).Message);
    }

    [Fact]
    public void An_empty_file_or_a_missing_file_is_refused()
    {
        Assert.Contains("names no hosts", Assert.Throws<InputException>(() => InventoryFile.Parse("# nothing\n\n")).Message);
        Assert.Contains("inventory: \"/nonexistent/fleet\" does not exist", Assert.Throws<InputException>(() => InventoryFile.Load("/nonexistent/fleet")).Message);
    }
}
