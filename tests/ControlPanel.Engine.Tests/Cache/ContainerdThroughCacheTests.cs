using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Registry;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Stack;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Cache;

/// <summary>
/// End to end on one machine: the mirror stage writes hosts.toml into the sandbox's private /etc/containerd, a real
/// containerd (Debian's 1.6, its root and state on the sandbox's private tmpfs) pulls docker.io/edge/hello:v1 with
/// `ctr --hosts-dir` through the cache config the cache stage writes, in front of an upstream registry filled by the
/// test; then pulls it again into an isolated namespace with the upstream stopped. The registries listen on this
/// machine's loopback; containerd shares its network but none of its files.
/// </summary>
public sealed class ContainerdThroughCacheTests : IAsyncLifetime
{
    NetnsSandbox sandbox = null!;
    readonly TempDir dir = new();

    public async Task InitializeAsync() => sandbox = await NetnsSandbox.CreateAsync();
    public async Task DisposeAsync()
    {
        await sandbox.DisposeAsync();
        dir.Dispose();
    }

    /// <summary>The sandbox's files with this machine's network: what containerd needs to reach the loopback registries.</summary>
    sealed class MountNsHost(string mountNs) : CommandHost(ProcessRunner.Default)
    {
        public override string Key => "mountns";
        protected override ProcessSpec Translate(ProcessSpec command) => NsenterHost.Wrap(["nsenter", $"--mount={mountNs}", "--"], command);
    }

    [Fact]
    public async Task Containerd_pulls_through_hosts_toml_and_the_cache_and_again_with_the_upstream_stopped()
    {
        Directory.CreateDirectory(dir.Sub("upstream"));
        await using var upstream = await RegistryPeer.StartPlainAsync(dir.Sub("upstream"));
        var image = TestImage.Create("edge/hello", "v1", "pulled by containerd through the cache\n");
        await image.PushAsync(upstream.BaseUrl);
        var port = LoopbackPorts.Tcp();
        Directory.CreateDirectory(dir.Sub("cache"));
        var cacheRequest = Engine.Cache.CacheRequest.Parse(upstream.BaseUrl, $"127.0.0.1:{port}", dir.Sub("cache-storage"));
        await using var cache = await RegistryPeer.StartAsync(dir.Sub("cache"), port, cacheRequest.Storage, Engine.Cache.RegistryCacheConfig.Render(cacheRequest));

        var host = new MountNsHost(sandbox.MountNs);
        var mirrors = MirrorRequest.ParseSet("docker.io", [cache.BaseUrl], "containerd");
        var stage = new ContainerdMirrorsStage(mirrors);
        var context = new StageContext(host, new ListLog(), dir.Path, CancellationToken.None);
        await stage.ApplyAsync(context);
        await stage.VerifyAsync(context);

        // The daemon's own config: no CRI (no CNI, no streaming server), and blobs not shared between namespaces,
        // so the second pull must fetch again.
        var daemonConfig = dir.Sub("containerd.toml");
        await File.WriteAllTextAsync(daemonConfig, """
            version = 2
            disabled_plugins = ["io.containerd.grpc.v1.cri"]
            [plugins."io.containerd.metadata.v1.bolt"]
              content_sharing_policy = "isolated"
            """);
        sandbox.Start("nsenter", $"--mount={sandbox.MountNs}", "--", "containerd", "--config", daemonConfig);
        await Eventually.TrueAsync(async () => (await Ctr("version")).ExitCode == 0);

        var first = await Ctr("-n", "first", "images", "pull", "--hosts-dir", ContainerdConfig.DefaultHostsDir, "docker.io/edge/hello:v1");
        Assert.True(first.ExitCode == 0, first.Stdout + string.Join('\n', first.StderrTail));
        await upstream.WaitForLogAsync($"/v2/edge/hello/blobs/{TestImage.Digest(image.Layer)}");
        await cache.WaitForLogAsync("/v2/edge/hello/manifests/v1");

        await upstream.StopAsync();
        var second = await Ctr("-n", "second", "images", "pull", "--hosts-dir", ContainerdConfig.DefaultHostsDir, "docker.io/edge/hello:v1");
        Assert.True(second.ExitCode == 0, second.Stdout + string.Join('\n', second.StderrTail));
        Assert.Contains(image.ManifestDigest, (await Ctr("-n", "second", "images", "ls")).Stdout);
    }

    Task<ProcessResult> Ctr(params string[] args) =>
        ProcessRunner.Default.RunAsync(new ProcessSpec(["nsenter", $"--mount={sandbox.MountNs}", "--", "ctr", .. args])
            { CaptureStdout = true, OkExitCodes = Enumerable.Range(0, 256).ToArray(), Timeout = TimeSpan.FromSeconds(60) });
}
