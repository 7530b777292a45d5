using System.Text.Json;
using ControlPanel.TestPeers;

namespace ControlPanel.Tests.Cli;

/// <summary>
/// `mirrors` and `cache` through the real binary. Each run gets a private mount namespace in which /etc/docker and
/// /etc/containerd are this test's own folders (bind mounts), so the commands write real files with their real
/// paths and this machine's configuration is never touched. Needs root (as the suite does).
/// </summary>
public sealed class MirrorCliTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("cp-mirrors-cli-").FullName;
    string Docker => Path.Combine(root, "docker");
    string Containerd => Path.Combine(root, "containerd");
    string Data => Path.Combine(root, "data");

    const string PrivateEtc = """mount --bind "$1" /etc/docker && mount --bind "$2" /etc/containerd && shift 2 && exec "$@" """;

    public MirrorCliTests()
    {
        Directory.CreateDirectory(Docker);
        Directory.CreateDirectory(Containerd);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    static string Sample(string name) => File.ReadAllText(Path.Combine(RepoPaths.Root, "tests/ControlPanel.Engine.Tests/Registry/samples", name));

    Task<Cli.Result> Run(params string[] args) =>
        Cli.RunWrappedAsync(["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", PrivateEtc, "sh", Docker, Containerd], [.. args, "--data", Data]);

    string? Read(string dir, string name) => File.Exists(Path.Combine(dir, name)) ? File.ReadAllText(Path.Combine(dir, name)) : null;

    [Fact]
    public async Task Set_show_set_again_and_reset_round_trip_the_users_files()
    {
        var daemon = Sample("daemon-kubeedge.json");
        var config = Sample("containerd-1.6-default.toml");
        File.WriteAllText(Path.Combine(Docker, "daemon.json"), daemon);
        File.WriteAllText(Path.Combine(Containerd, "config.toml"), config);

        var dry = await Run("mirrors", "set", "--registry", "docker.io", "--mirror", "http://10.0.2.2:5000", "--mirror", "https://mirror.example.org", "--runtime", "both", "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Contains("+      config_path = \"/etc/containerd/certs.d\"", dry.Stdout);
        Assert.Contains("+    \"registry-mirrors\": [\"http://10.0.2.2:5000\",\"https://mirror.example.org\"]", dry.Stdout);
        Assert.Equal(daemon, Read(Docker, "daemon.json"));
        Assert.False(Directory.Exists(Path.Combine(Containerd, "certs.d")));

        var set = await Run("mirrors", "set", "--registry", "docker.io", "--mirror", "http://10.0.2.2:5000", "--mirror", "https://mirror.example.org", "--runtime", "both");
        Assert.True(set.ExitCode == 0, set.Stdout + set.Stderr);
        Assert.Contains("succeeded", set.Stdout);
        Assert.Contains("\"exec-opts\": [\"native.cgroupdriver=systemd\"]", Read(Docker, "daemon.json"));
        Assert.Contains("[host.\"https://mirror.example.org\"]", Read(Containerd, "certs.d/docker.io/hosts.toml"));

        var show = await Run("mirrors", "show", "--json");
        Assert.Equal(0, show.ExitCode);
        var status = JsonDocument.Parse(show.Stdout).RootElement;
        Assert.Equal("https://mirror.example.org", status.GetProperty("containerd").GetProperty("registries").GetProperty("docker.io")[1].GetString());
        Assert.Equal("http://10.0.2.2:5000", status.GetProperty("docker").GetProperty("mirrors")[0].GetString());

        var again = await Run("mirrors", "set", "--registry", "docker.io", "--mirror", "http://10.0.2.2:5000", "--mirror", "https://mirror.example.org", "--runtime", "both");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(2, again.Stdout.Split('\n').Count(l => l.Contains("Skipped")));

        var reset = await Run("mirrors", "reset");
        Assert.True(reset.ExitCode == 0, reset.Stdout + reset.Stderr);
        Assert.Equal(daemon, Read(Docker, "daemon.json"));
        Assert.Equal(config, Read(Containerd, "config.toml"));
        Assert.Equal(["config.toml"], Directory.GetFileSystemEntries(Containerd).Select(Path.GetFileName));
        Assert.Equal(["daemon.json"], Directory.GetFileSystemEntries(Docker).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Invalid_json_fails_the_stage_with_the_position_and_the_file_stays()
    {
        var broken = Sample("daemon-invalid.json");
        File.WriteAllText(Path.Combine(Docker, "daemon.json"), broken);
        var r = await Run("mirrors", "set", "--registry", "docker.io", "--mirror", "http://10.0.2.2:5000", "--runtime", "docker");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/etc/docker/daemon.json is not valid JSON (line 3, column 5", r.Stdout);
        Assert.Equal(broken, Read(Docker, "daemon.json"));
        Assert.Equal(["daemon.json"], Directory.GetFileSystemEntries(Docker).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(new[] { "mirrors", "set", "--registry", "docker.io", "--mirror", "ftp://mirror" }, "--mirror: \"ftp://mirror\" is not an http:// or https:// URL")]
    [InlineData(new[] { "mirrors", "set", "--registry", "docker.io", "--mirror", "http://m/\";x" }, "--mirror:")]
    [InlineData(new[] { "mirrors", "set", "--registry", "docker.io" }, "--mirror: is required")]
    [InlineData(new[] { "mirrors", "set", "--registry", "https://ghcr.io", "--mirror", "http://m" }, "--registry: \"https://ghcr.io\" is not a registry host name")]
    [InlineData(new[] { "mirrors", "set", "--registry", "ghcr.io", "--mirror", "http://m", "--runtime", "both" }, "daemon.json's registry-mirrors only applies to docker.io")]
    [InlineData(new[] { "mirrors", "set", "--registry", "docker.io", "--mirror", "http://m", "--runtime", "podman" }, "--runtime: \"podman\" must be one of: containerd, docker, both")]
    [InlineData(new[] { "mirrors", "reset", "--host", "root@10.0.0.5" }, "--host: \"root@10.0.0.5\" is not of the form ssh://user@host[:port]")]
    [InlineData(new[] { "cache", "install", "--upstream", "https://hub.example.org/v2" }, "--upstream: \"https://hub.example.org/v2\" must be the registry's root URL")]
    [InlineData(new[] { "cache", "install", "--listen", "5000" }, "--listen: \"5000\" must be host:port or :port")]
    [InlineData(new[] { "cache", "install", "--storage", "/var/lib" }, "--storage: \"/var/lib\" is a system folder")]
    public async Task Bad_input_exits_2_naming_the_field_and_changes_nothing(string[] args, string message)
    {
        var r = await Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(Docker));
        Assert.Empty(Directory.GetFileSystemEntries(Containerd));
    }

    [Fact]
    public async Task Cache_install_and_uninstall_dry_runs_show_the_cache_config_and_change_nothing()
    {
        var packaged = File.ReadAllText("/etc/docker/registry/config.yml");
        Directory.CreateDirectory(Path.Combine(Docker, "registry"));
        File.WriteAllText(Path.Combine(Docker, "registry/config.yml"), packaged);

        var install = await Run("cache", "install", "--upstream", "http://10.0.2.2:5000", "--listen", "127.0.0.1:5001", "--dry-run");
        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
        Assert.Contains("+  remoteurl: \"http://10.0.2.2:5000\"", install.Stdout);
        Assert.Contains("$ cp -a -- /etc/docker/registry/config.yml /etc/docker/registry/config.yml.controlpanel-backup", install.Stdout);
        Assert.Contains("$ systemctl restart docker-registry", install.Stdout);
        Assert.DoesNotContain("warning:", install.Stderr);
        // The default listens on every interface: said before anything else.
        var open = await Run("cache", "install", "--upstream", "http://10.0.2.2:5000", "--dry-run");
        Assert.Contains("warning: the cache listens on every interface: any machine that reaches port 5000 of this host can pull through it. " +
            "Listen on 127.0.0.1:5000 if only this host pulls", open.Stderr);

        var uninstall = await Run("cache", "uninstall", "--dry-run");
        Assert.Equal(0, uninstall.ExitCode);
        Assert.Contains("pull-through-cache-uninstall", uninstall.Stdout);
        Assert.Equal(packaged, Read(Docker, "registry/config.yml"));
        Assert.Equal(["config.yml"], Directory.GetFileSystemEntries(Path.Combine(Docker, "registry")).Select(Path.GetFileName));
    }
}
