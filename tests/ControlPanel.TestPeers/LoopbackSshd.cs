using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ControlPanel.TestPeers;

/// <summary>
/// Debian's real OpenSSH server on 127.0.0.1 with its own throw-away host key and one authorized client key, all in
/// a temp directory (nothing of the machine's /etc/ssh is used). <see cref="RestartWithNewHostKeyAsync"/> plays a
/// reinstalled host, or a man in the middle. Dispose stops it and removes the directory.
/// </summary>
public sealed class LoopbackSshd : IAsyncDisposable
{
    const string Sshd = "/usr/sbin/sshd";
    readonly StringBuilder output = new();
    Process? process;

    LoopbackSshd(string dir, IReadOnlyList<int> ports)
    {
        Directory = dir;
        Ports = ports;
    }

    public string Directory { get; }
    public int Port => Ports[0];
    /// <summary>Every port it listens on: each is another host to the engine (its host key names user@address:port).</summary>
    public IReadOnlyList<int> Ports { get; }
    /// <summary>The private key the client authenticates with (its public half is the only authorized key).</summary>
    public string ClientKey => Path.Combine(Directory, "client_ed25519");
    public string HostKeyFile => Path.Combine(Directory, "host_ed25519");
    public string Output { get { lock (output) return output.ToString(); } }
    public static bool Available => File.Exists(Sshd);

    /// <param name="ports">How many ports it listens on (a batch of that many hosts behind one sshd): at most 16, sshd's own limit of listening sockets.</param>
    public static async Task<LoopbackSshd> StartAsync(int ports = 1)
    {
        var dir = Path.Combine(Path.GetTempPath(), "sshd-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        var sshd = new LoopbackSshd(dir, Enumerable.Range(0, ports).Select(_ => LoopbackPorts.Tcp()).ToList());
        await Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "controlpanel-test-client", "-f", sshd.ClientKey);
        File.Copy(sshd.ClientKey + ".pub", Path.Combine(dir, "authorized_keys"));
        await sshd.NewHostKeyAsync();
        File.WriteAllText(Path.Combine(dir, "sshd_config"), $"""
            {string.Join("\n", sshd.Ports.Select(p => $"Port {p}"))}
            ListenAddress 127.0.0.1
            HostKey {sshd.HostKeyFile}
            PidFile {dir}/sshd.pid
            AuthorizedKeysFile {dir}/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            MaxStartups 100
            """);
        // sshd refuses to start without its privilege separation directory (normally made by its systemd unit).
        System.IO.Directory.CreateDirectory("/run/sshd");
        await sshd.LaunchAsync();
        return sshd;
    }

    /// <summary>The SHA256 fingerprint of the current host key, as `ssh-keygen -l` prints it (the out-of-band check).</summary>
    public async Task<string> HostKeyFingerprintAsync() =>
        (await Run("ssh-keygen", "-l", "-E", "sha256", "-f", HostKeyFile + ".pub")).Split(' ')[1];

    public async Task RestartWithNewHostKeyAsync()
    {
        await StopAsync();
        await NewHostKeyAsync();
        await LaunchAsync();
    }

    async Task NewHostKeyAsync()
    {
        File.Delete(HostKeyFile);
        File.Delete(HostKeyFile + ".pub");
        await Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", HostKeyFile);
    }

    /// <summary>Starts it again after <see cref="StopAsync"/>, with the same host key.</summary>
    public Task StartAgainAsync() => LaunchAsync();

    async Task LaunchAsync()
    {
        var psi = new ProcessStartInfo(Sshd) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-D", "-e", "-f", Path.Combine(Directory, "sshd_config") }) psi.ArgumentList.Add(a);
        process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"sshd exited ({process.ExitCode}): {Output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) { await Task.Delay(50); }
        }
        throw new TimeoutException($"sshd did not listen on {Port}: {Output}");
    }

    public async Task StopAsync()
    {
        if (process is null || process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    static async Task<string> Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({p.ExitCode}): {stderr}");
        return stdout;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
