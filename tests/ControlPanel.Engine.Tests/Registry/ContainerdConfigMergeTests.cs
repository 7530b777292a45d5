using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.HostConfig.Toml;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Tests.Registry;

public class ContainerdConfigMergeTests
{
    static readonly ConfigFile File = ContainerdConfig.File;
    static Original Backup(string content) => new Original.Existed(content, new FileStat("0644", "root:root"));
    static readonly string CertsD = TomlValue.Quote(ContainerdConfig.DefaultHostsDir);

    static string[] ChangedLines(string before, string after) =>
        after.Split('\n').Except(before.Split('\n')).ToArray();

    [Fact]
    public void Config_path_is_set_in_debians_default_config_changing_one_line_only()
    {
        var before = Samples.Read("containerd-1.6-default.toml");
        var edit = ConfigPlanner.Set(File, before, Backup(before), [(ContainerdConfig.ConfigPath, CertsD)])!;

        Assert.Equal(["      config_path = \"/etc/containerd/certs.d\""], ChangedLines(before, edit.Content!));
        Assert.Equal(before.Split('\n').Length, edit.Content!.Split('\n').Length);
        Assert.Equal(ContainerdConfig.DefaultHostsDir, ContainerdConfig.HostsDir(TomlDocument.Parse(edit.Content)));
        Assert.Null(ConfigPlanner.Set(File, edit.Content, Backup(before), [(ContainerdConfig.ConfigPath, CertsD)]));

        var reset = ConfigPlanner.Reset(File, edit.Content, Backup(before), [ContainerdConfig.ConfigPath])!;
        Assert.Equal(ConfigEditKind.Restore, reset.Kind);
        Assert.Equal(before, reset.Content);
    }

    [Fact]
    public async Task Containerd_reads_the_edited_default_config()
    {
        // containerd itself is the judge of the result: it must load the file and print config_path back.
        var before = Samples.Read("containerd-1.6-default.toml");
        var after = ConfigPlanner.Set(File, before, Backup(before), [(ContainerdConfig.ConfigPath, CertsD)])!.Content!;
        using var dir = new Support.TempDir();
        var path = dir.Sub("config.toml");
        System.IO.File.WriteAllText(path, after);
        var r = await ProcessRunner.Default.RunAsync(new ProcessSpec(["containerd", "--config", path, "config", "dump"]) { CaptureStdout = true });
        Assert.Contains("config_path = \"/etc/containerd/certs.d\"", r.Stdout);
    }

    [Fact]
    public void A_missing_config_is_created_as_version_2_and_reset_removes_it()
    {
        var edit = ConfigPlanner.Set(File, null, new Original.Created(), [(ContainerdConfig.ConfigPath, CertsD)])!;
        Assert.Equal("version = 2\n\n[plugins.\"io.containerd.grpc.v1.cri\".registry]\n  config_path = \"/etc/containerd/certs.d\"\n", edit.Content);
        Assert.Equal(ConfigEditKind.Delete, ConfigPlanner.Reset(File, edit.Content, new Original.Created(), [ContainerdConfig.ConfigPath])!.Kind);
    }

    [Fact]
    public void Old_containerd_v1_config_mirrors_are_replaced_added_and_reset()
    {
        var before = Samples.Read("containerd-1.4-v1-mirrors.toml");
        var doc = TomlDocument.Parse(before);
        Assert.Equal(["plugins", "cri", "registry"], ContainerdConfig.RegistryTable(doc));
        Assert.Equal(["https://hub-mirror.c.163.com", "https://registry-1.docker.io"], ContainerdConfig.LegacyMirrors(doc)["docker.io"]);
        Assert.Equal(["https://registry.aliyuncs.com/google_containers"], ContainerdConfig.LegacyMirrors(doc)["k8s.gcr.io"]);

        var hub = ConfigPlanner.Set(File, before, Backup(before),
            [(ContainerdConfig.LegacyMirror("docker.io"), TomlValue.StringArray(["http://10.0.0.2:5000"]))])!.Content!;
        var both = ConfigPlanner.Set(File, hub, Backup(before),
            [(ContainerdConfig.LegacyMirror("ghcr.io"), TomlValue.StringArray(["http://10.0.0.2:5001"]))])!.Content!;
        var mirrors = ContainerdConfig.LegacyMirrors(TomlDocument.Parse(both));
        Assert.Equal(["http://10.0.0.2:5000"], mirrors["docker.io"]);
        Assert.Equal(["http://10.0.0.2:5001"], mirrors["ghcr.io"]);
        Assert.Equal(["https://registry.aliyuncs.com/google_containers"], mirrors["k8s.gcr.io"]);
        Assert.EndsWith("\n[plugins.cri.registry.mirrors.\"ghcr.io\"]\n  endpoint = [\"http://10.0.0.2:5001\"]\n", both);
        // Comments and the other tables stay as they were.
        Assert.Contains("# containerd 1.4 on an edge board", both);
        Assert.Contains("          endpoint = ['https://registry.aliyuncs.com/google_containers']\n", both);

        // Resetting one registry keeps the other of ours; resetting both gives the original bytes back.
        var one = ConfigPlanner.Reset(File, both, Backup(before), [ContainerdConfig.LegacyMirror("ghcr.io")])!;
        Assert.Equal(ConfigEditKind.PartialReset, one.Kind);
        Assert.Equal(hub, one.Content);
        var all = ConfigPlanner.Reset(File, both, Backup(before), [ContainerdConfig.LegacyMirror("docker.io"), ContainerdConfig.LegacyMirror("ghcr.io")])!;
        Assert.Equal(ConfigEditKind.Restore, all.Kind);
        Assert.Equal(before, all.Content);
    }

    [Fact]
    public void Invalid_toml_is_refused_naming_the_file_and_the_position()
    {
        var text = Samples.Read("containerd-invalid.toml");
        var e = Assert.Throws<StageFailedException>(() => ConfigPlanner.Set(File, text, Backup(text), [(ContainerdConfig.ConfigPath, CertsD)]));
        Assert.Equal("/etc/containerd/config.toml is not valid TOML (line 4, column 19: Unexpected token `ture` for a value): fix or remove it first; it was not changed", e.Message);
    }

    [Fact]
    public void Hosts_toml_lists_the_mirrors_in_order_then_falls_back_to_the_registry()
    {
        var text = ContainerdConfig.HostsToml("docker.io", ["http://10.0.0.2:5000", "https://mirror.example.org/v2/hub"]);
        var doc = TomlDocument.Parse(text);
        Assert.Equal("https://registry-1.docker.io", doc.Get("server")!.String);
        Assert.Equal(["http://10.0.0.2:5000", "https://mirror.example.org/v2/hub"], ContainerdConfig.HostsTomlMirrors(text));
        Assert.Equal(["pull", "resolve"], doc.Get("host", "http://10.0.0.2:5000", "capabilities")!.Strings);
        Assert.Equal("https://registry.lan:5000", TomlDocument.Parse(ContainerdConfig.HostsToml("registry.lan:5000", ["http://a"])).Get("server")!.String);
    }

    [Theory]
    [InlineData("containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3", "1.6.20", true)]
    [InlineData("containerd containerd.io 1.6.21 3dce8eb055cbb6872793272b4f20ed16117344f8", "1.6.21", true)]
    [InlineData("containerd github.com/containerd/containerd v1.4.0 09814d48d50816305a8e6c1a4ae3e2bcc4ba725a", "1.4.0", false)]
    [InlineData("containerd github.com/containerd/containerd/v2 v2.0.0 207ad711eabd375a01713109a8a197d197ff6542", "2.0.0", true)]
    public void Containerd_versions_are_read_from_its_version_line(string line, string version, bool hostsDir)
    {
        var v = ContainerdVersion.Parse(line)!;
        Assert.Equal(version, v.ToString());
        Assert.Equal(hostsDir, v.ReadsHostsDir);
    }
}
