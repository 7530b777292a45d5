using ControlPanel.Engine.HostConfig;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.RuntimeProxy;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Stack;

namespace ControlPanel.Engine.Tests.RuntimeProxy;

/// <summary>The proxy drop-ins written for real in the namespace sandbox (its /etc/systemd/system is a private tmpfs).</summary>
public sealed class RuntimeProxySandboxTests : IAsyncLifetime
{
    NetnsSandbox sandbox = null!;
    readonly string data = Directory.CreateTempSubdirectory("cp-proxy-").FullName;

    public async Task InitializeAsync() => sandbox = await NetnsSandbox.CreateAsync();
    public async Task DisposeAsync()
    {
        await sandbox.DisposeAsync();
        Directory.Delete(data, recursive: true);
    }

    /// <summary>What seed 000's users wrote by hand on their docker nodes.</summary>
    const string UsersDropIn = "[Service]\nEnvironment=\"HTTP_PROXY=http://10.201.154.168:10800/\" \"HTTPS_PROXY=http://10.201.154.168:10800/\" \"NO_PROXY=\"\n";

    StageContext Context(ListLog? log = null) => new(sandbox.Host, log ?? new ListLog(), data, CancellationToken.None);

    async Task ApplyAsync(ProxyRequest request, ListLog log)
    {
        var stage = new RuntimeProxyStage(request);
        Assert.False((await stage.CheckAsync(Context(log))).Done);
        await stage.ApplyAsync(Context(log));
        await stage.VerifyAsync(Context(log));
    }

    [Fact]
    public async Task Proxy_with_a_password_goes_to_0600_drop_ins_is_idempotent_and_reset_restores_the_users_file()
    {
        var docker = RuntimeProxyStage.DropInPath("docker");
        var containerd = RuntimeProxyStage.DropInPath("containerd");
        await sandbox.Host.WriteFileAsync(new FileSpec(docker, UsersDropIn, "0644"), CancellationToken.None);
        var request = ProxyRequest.ParseSet("http://ops:s3cret@proxy.lan:3128", "http://ops:s3cret@proxy.lan:3128", "localhost,127.0.0.1,.lan", "both");

        var preview = await PlanPreviewer.PreviewAsync(new Plan("proxy", [new RuntimeProxyStage(request)]), request, sandbox.Host, data, CancellationToken.None);
        var shown = string.Join("\n", preview.SelectMany(p => p.Actions).Select(a => a.ToString() + a.File?.Diff));
        Assert.DoesNotContain("s3cret", shown + preview[0].Title);
        Assert.Contains(FileChange.SecretDiff.Trim(), shown);
        Assert.Equal(UsersDropIn, await sandbox.Host.ReadFileAsync(docker, CancellationToken.None));

        var log = new ListLog();
        await ApplyAsync(request, log);
        Assert.DoesNotContain(log.Infos, l => l.Contains("s3cret"));
        Assert.Contains(log.Infos, l => l.Contains("systemd is not running here"));
        foreach (var path in new[] { docker, containerd })
        {
            Assert.Equal(RuntimeProxyStage.DropIn(request), await sandbox.Host.ReadFileAsync(path, CancellationToken.None));
            Assert.Equal("0600", (await sandbox.Host.StatAsync(path, CancellationToken.None))!.Mode);
        }
        Assert.Equal(UsersDropIn, await sandbox.Host.ReadFileAsync(docker + ConfigBackup.BackupSuffix, CancellationToken.None));
        Assert.True((await new RuntimeProxyStage(request).CheckAsync(Context())).Done);

        var reset = ProxyRequest.ParseReset(null);
        await ApplyAsync(reset, new ListLog());
        Assert.Equal(UsersDropIn, await sandbox.Host.ReadFileAsync(docker, CancellationToken.None));
        Assert.Equal("0644", (await sandbox.Host.StatAsync(docker, CancellationToken.None))!.Mode);
        Assert.Null(await sandbox.Host.StatAsync(Path.GetDirectoryName(containerd)!, CancellationToken.None));
        Assert.Equal("", (await sandbox.RunAsync("find", "/etc/systemd/system", "-name", "*controlpanel*")).Stdout);
        Assert.True((await new RuntimeProxyStage(reset).CheckAsync(Context())).Done);
    }
}
