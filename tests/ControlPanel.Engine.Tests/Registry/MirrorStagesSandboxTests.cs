using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Stack;

namespace ControlPanel.Engine.Tests.Registry;

/// <summary>
/// The mirror stages applied for real in the namespace sandbox (its /etc/docker and /etc/containerd are private
/// tmpfs), with Debian's real `containerd --version` deciding the format: set, set again (nothing to do), dry runs
/// that change nothing, and reset back to the original bytes.
/// </summary>
public sealed class MirrorStagesSandboxTests : IAsyncLifetime
{
    NetnsSandbox sandbox = null!;
    readonly string data = Directory.CreateTempSubdirectory("cp-mirrors-").FullName;

    public async Task InitializeAsync() => sandbox = await NetnsSandbox.CreateAsync();
    public async Task DisposeAsync()
    {
        await sandbox.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    async Task<string?> Read(string path) => await sandbox.Host.ReadFileAsync(path, CancellationToken.None);

    async Task RunAsync(MirrorRequest request, ListLog? log = null)
    {
        foreach (var stage in MirrorPlans.Create(request).Stages)
        {
            var context = new StageContext(sandbox.Host, log ?? new ListLog(), data, CancellationToken.None);
            if ((await stage.CheckAsync(context)).Done) continue;
            await stage.ApplyAsync(context);
            await stage.VerifyAsync(context);
        }
    }

    async Task<bool> AllDoneAsync(MirrorRequest request)
    {
        foreach (var stage in MirrorPlans.Create(request).Stages)
            if (!(await stage.CheckAsync(new StageContext(sandbox.Host, new ListLog(), data, CancellationToken.None))).Done) return false;
        return true;
    }

    [Fact]
    public async Task Set_merges_into_the_users_files_a_second_set_does_nothing_and_reset_restores_them_byte_for_byte()
    {
        var daemon = Samples.Read("daemon-kubeedge.json");
        var config = Samples.Read("containerd-1.6-default.toml");
        await sandbox.Host.WriteFileAsync(new FileSpec(DockerDaemonConfig.File.Path, daemon, "0600"), CancellationToken.None);
        await sandbox.Host.WriteFileAsync(new FileSpec(ContainerdConfig.File.Path, config, "0644"), CancellationToken.None);
        var hub = MirrorRequest.ParseSet("docker.io", ["http://10.0.2.2:5000", "https://mirror.example.org"], "both");
        var ghcr = MirrorRequest.ParseSet("ghcr.io", ["http://10.0.2.2:5001"], "containerd");

        // The dry run shows the diffs and changes nothing.
        var preview = await MirrorSettings.PreviewAsync(sandbox.Host, hub, data, CancellationToken.None);
        var files = preview.SelectMany(p => p.Actions).Where(a => a.File is not null).Select(a => a.File!).ToList();
        Assert.Contains(files, f => f.Path == "/etc/containerd/certs.d/docker.io/hosts.toml" && f.Kind == FileChangeKind.Created);
        Assert.Contains(files, f => f.Path == ContainerdConfig.File.Path && f.Diff.Contains("+      config_path = \"/etc/containerd/certs.d\""));
        Assert.Contains(files, f => f.Path == DockerDaemonConfig.File.Path && f.Diff.Contains("+    \"registry-mirrors\": [\"http://10.0.2.2:5000\",\"https://mirror.example.org\"]"));
        Assert.Equal(daemon, await Read(DockerDaemonConfig.File.Path));
        Assert.Null(await Read("/etc/containerd/certs.d/docker.io/hosts.toml"));

        var log = new ListLog();
        await RunAsync(hub, log);
        await RunAsync(ghcr, log);
        Assert.Equal(ContainerdConfig.HostsToml("docker.io", hub.Mirrors), await Read("/etc/containerd/certs.d/docker.io/hosts.toml"));
        Assert.Equal(ContainerdConfig.HostsToml("ghcr.io", ghcr.Mirrors), await Read("/etc/containerd/certs.d/ghcr.io/hosts.toml"));
        Assert.Equal(["http://10.0.2.2:5000", "https://mirror.example.org"], DockerDaemonConfig.Read(await Read(DockerDaemonConfig.File.Path)));
        Assert.Equal(daemon, await Read(DockerDaemonConfig.File.Path + ConfigBackup.BackupSuffix));
        Assert.Equal(config, await Read(ContainerdConfig.File.Path + ConfigBackup.BackupSuffix));
        Assert.Equal("0600", (await sandbox.Host.StatAsync(DockerDaemonConfig.File.Path, CancellationToken.None))!.Mode);
        Assert.Contains(log.Infos, l => l.Contains("containerd is not running"));

        Assert.True(await AllDoneAsync(hub));
        Assert.True(await AllDoneAsync(ghcr));

        var status = await MirrorSettings.ReadAsync(sandbox.Host, data, CancellationToken.None);
        Assert.Equal(["http://10.0.2.2:5000", "https://mirror.example.org"], status.Containerd.Registries["docker.io"]);
        Assert.Equal(["http://10.0.2.2:5001"], status.Containerd.Registries["ghcr.io"]);
        Assert.Equal("1.6.20", status.Containerd.Version);
        Assert.Empty(status.Problems);

        // Resetting one registry leaves the other; resetting everything gives back the original files.
        await RunAsync(MirrorRequest.ParseReset("ghcr.io", "containerd"));
        Assert.Null(await Read("/etc/containerd/certs.d/ghcr.io/hosts.toml"));
        Assert.NotNull(await Read("/etc/containerd/certs.d/docker.io/hosts.toml"));
        var resetAll = MirrorRequest.ParseReset(null, null);
        await RunAsync(resetAll);
        Assert.Equal(daemon, await Read(DockerDaemonConfig.File.Path));
        Assert.Equal("0600", (await sandbox.Host.StatAsync(DockerDaemonConfig.File.Path, CancellationToken.None))!.Mode);
        Assert.Equal(config, await Read(ContainerdConfig.File.Path));
        Assert.Equal("", (await sandbox.RunAsync("find", "/etc/docker", "/etc/containerd", "-name", "*controlpanel*")).Stdout);
        Assert.Null(await sandbox.Host.StatAsync("/etc/containerd/certs.d", CancellationToken.None));
        Assert.True(await AllDoneAsync(resetAll));
    }

    [Fact]
    public async Task Invalid_files_are_refused_and_left_untouched()
    {
        var broken = Samples.Read("daemon-invalid.json");
        await sandbox.Host.WriteFileAsync(new FileSpec(DockerDaemonConfig.File.Path, broken, "0644"), CancellationToken.None);
        var request = MirrorRequest.ParseSet("docker.io", ["http://10.0.2.2:5000"], "docker");
        var e = await Assert.ThrowsAsync<StageFailedException>(() => RunAsync(request));
        Assert.Contains("/etc/docker/daemon.json is not valid JSON (line 3, column 5", e.Message);
        Assert.Equal(broken, await Read(DockerDaemonConfig.File.Path));
        Assert.Null(await sandbox.Host.StatAsync(DockerDaemonConfig.File.Path + ConfigBackup.BackupSuffix, CancellationToken.None));
    }

    [Fact]
    public async Task Old_style_mirrors_beside_containerd_1_6_are_refused_with_the_way_out()
    {
        var legacy = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".registry.mirrors.\"docker.io\"]\n  endpoint = [\"https://hub-mirror.c.163.com\"]\n";
        await sandbox.Host.WriteFileAsync(new FileSpec(ContainerdConfig.File.Path, legacy, "0644"), CancellationToken.None);
        var e = await Assert.ThrowsAsync<StageFailedException>(() => RunAsync(MirrorRequest.ParseSet("docker.io", ["http://10.0.2.2:5000"], "containerd")));
        Assert.Contains("for docker.io: containerd 1.6.20 refuses those together with config_path", e.Message);
        Assert.Equal(legacy, await Read(ContainerdConfig.File.Path));
    }
}
