using ControlPanel.Engine.Snapshots;

namespace ControlPanel.Engine.Tests.Snapshots;

public class LeftoverTests
{
    static HostSnapshot Snap(params string[] items) => new("h", DateTimeOffset.UnixEpoch, new SortedSet<string>(items, StringComparer.Ordinal));

    [Fact]
    public void Only_what_the_stack_accounts_for_and_was_not_there_before_is_a_leftover()
    {
        var before = Snap("link:eth0", "chain:iptables/nat/CNI-podman", "path:/etc/cni", "process:/usr/sbin/sshd -D");
        var after = Snap("link:eth0", "link:openfaas0", "link:veth12ab", "chain:iptables/nat/CNI-podman", "chain:iptables/nat/CNI-0a1b",
            "chain:iptables/filter/CONTROLPANEL-FAASD", "path:/etc/cni", "path:/opt/cni/bin", "process:/usr/sbin/sshd -D",
            "process:sshd: root@pts/0", "process:/usr/local/bin/containerd-shim-runc-v2 -namespace openfaas -id gateway",
            "mount:/run/containerd/io.containerd.runtime.v2.task/openfaas/gateway/rootfs", "mount:/run/user/0",
            "unit:faasd.service", "unit:ssh.service", "active:containerd.service");
        Assert.Equal([
            "active:containerd.service", "chain:iptables/filter/CONTROLPANEL-FAASD", "chain:iptables/nat/CNI-0a1b", "link:openfaas0", "link:veth12ab",
            "mount:/run/containerd/io.containerd.runtime.v2.task/openfaas/gateway/rootfs", "path:/opt/cni/bin",
            "process:/usr/local/bin/containerd-shim-runc-v2 -namespace openfaas -id gateway", "unit:faasd.service",
        ], HostSnapshot.Leftovers(before, after, StackFootprint.For(keepData: false)));
    }

    [Fact]
    public void Kept_data_is_not_a_leftover_but_everything_else_still_is()
    {
        var after = Snap("path:/var/lib/faasd", "path:/var/lib/faasd/secrets/basic-auth-password", "content:/var/lib/faasd/secrets/basic-auth-password abc",
            "path:/var/lib/containerd", "path:/usr/local/bin/faasd");
        Assert.Equal(["path:/usr/local/bin/faasd"], HostSnapshot.Leftovers(Snap(), after, StackFootprint.For(keepData: true)));
        Assert.Equal(5, HostSnapshot.Leftovers(Snap(), after, StackFootprint.For(keepData: false)).Count);
    }

    [Fact]
    public void A_file_the_install_changed_and_did_not_restore_is_a_leftover()
    {
        var before = Snap("path:/etc/systemd/system/containerd.service", "content:/etc/systemd/system/containerd.service 1111");
        var restored = Snap("path:/etc/systemd/system/containerd.service", "content:/etc/systemd/system/containerd.service 1111");
        var changed = Snap("path:/etc/systemd/system/containerd.service", "content:/etc/systemd/system/containerd.service 2222");
        Assert.Empty(HostSnapshot.Leftovers(before, restored, StackFootprint.For(false)));
        Assert.Equal(["content:/etc/systemd/system/containerd.service 2222"], HostSnapshot.Leftovers(before, changed, StackFootprint.For(false)));
    }

    [Fact]
    public void The_store_keeps_one_snapshot_per_host_and_retires_it_after_a_clean_uninstall()
    {
        var dir = Directory.CreateTempSubdirectory("cp-snap-").FullName;
        try
        {
            var store = new SnapshotStore(dir);
            var snap = new HostSnapshot("ssh:root@10.0.0.5:22", DateTimeOffset.UnixEpoch, new SortedSet<string>(["link:eth0"], StringComparer.Ordinal));
            store.Save(snap);
            Assert.EndsWith("ssh_root_10.0.0.5_22.json", store.CurrentPath(snap.Host));
            Assert.Equal(snap.Items, store.Current(snap.Host)!.Items);
            Assert.Equal(Convert.ToInt32("600", 8), (int)File.GetUnixFileMode(store.CurrentPath(snap.Host)));
            store.Retire(snap.Host);
            Assert.Null(store.Current(snap.Host));
            Assert.Equal(snap.Items, store.Baseline(snap.Host)!.Items);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
