using System.Diagnostics;
using ControlPanel.Engine.Nginx;

namespace ControlPanel.TestPeers;

/// <summary>
/// Debian's nginx in a private prefix, run as a child on loopback: its own nginx.conf (including conf/conf.d/*.conf),
/// pid, logs and temp paths inside the prefix. Directories are 0755 because the workers run as nobody.
/// Disposing kills nginx and removes the prefix.
/// </summary>
public sealed class NginxPrefix : IAsyncDisposable
{
    Process? master;

    NginxPrefix(string prefix) => Prefix = prefix;

    public string Prefix { get; }
    public string MainConf => Path.Combine(Prefix, "conf", "nginx.conf");
    public string SiteDirectory => Path.Combine(Prefix, "conf", "conf.d");
    public string PidFile => Path.Combine(Prefix, "logs", "nginx.pid");
    public string ErrorLog => Path.Combine(Prefix, "logs", "error.log");
    public string CertificateRoot => Path.Combine(Prefix, "live");
    public string AcmeWebroot => Path.Combine(Prefix, "acme");

    public static NginxPrefix Create()
    {
        var prefix = Path.Combine(Path.GetTempPath(), "cp-nginx-" + Guid.NewGuid().ToString("N")[..12]);
        var nginx = new NginxPrefix(prefix);
        foreach (var dir in new[] { prefix, Path.Combine(prefix, "conf"), nginx.SiteDirectory, Path.Combine(prefix, "logs"), Path.Combine(prefix, "temp"), nginx.CertificateRoot })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        }
        File.WriteAllText(nginx.MainConf, $$"""
            worker_processes 1;
            pid {{nginx.PidFile}};
            # notice level: reloads are logged ("reconfiguring"), which lets tests count them.
            error_log {{nginx.ErrorLog}} notice;
            events { worker_connections 128; }
            http {
                access_log {{prefix}}/logs/access.log;
                client_body_temp_path {{prefix}}/temp/client;
                proxy_temp_path {{prefix}}/temp/proxy;
                fastcgi_temp_path {{prefix}}/temp/fastcgi;
                uwsgi_temp_path {{prefix}}/temp/uwsgi;
                scgi_temp_path {{prefix}}/temp/scgi;
                include {{nginx.SiteDirectory}}/*.conf;
            }
            """);
        return nginx;
    }

    /// <summary>The engine's view of this nginx: site in conf.d, test and reload through this prefix, loopback ports.</summary>
    public NginxTarget Target(int httpPort, int httpsPort) => new()
    {
        SitePath = Path.Combine(SiteDirectory, "controlpanel.conf"),
        ConflictingSites = [Path.Combine(SiteDirectory, "default.conf")],
        TestCommand = [.. Command, "-t"],
        ReloadCommand = [.. Command, "-s", "reload"],
        ActiveProbe = ["sh", "-c", "kill -0 \"$(cat \"$1\")\"", "nginx-probe", PidFile],
        PidFile = PidFile,
        ErrorLog = ErrorLog,
        ReloadTimeout = TimeSpan.FromSeconds(5),
        CertificateRoot = CertificateRoot,
        AcmeWebroot = AcmeWebroot,
        ListenAddresses = ["127.0.0.1"],
        HttpPort = httpPort,
        HttpsPort = httpsPort,
    };

    string[] Command => ["nginx", "-p", Prefix + "/", "-c", MainConf];

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("nginx") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in Command.Skip(1)) start.ArgumentList.Add(a);
        start.ArgumentList.Add("-g");
        start.ArgumentList.Add("daemon off;");
        master = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(PidFile) || (await File.ReadAllTextAsync(PidFile)).Trim().Length == 0)
        {
            if (master.HasExited) throw new InvalidOperationException("nginx exited: " + await master.StandardError.ReadToEndAsync());
            if (DateTime.UtcNow > deadline) throw new TimeoutException("nginx did not write its pid file");
            await Task.Delay(50);
        }
    }

    public bool Running => master is { HasExited: false };

    /// <summary>How many times nginx has re-read its configuration since it started.</summary>
    public int ReloadCount => File.Exists(ErrorLog) ? File.ReadLines(ErrorLog).Count(l => l.Contains("reconfiguring")) : 0;

    public async ValueTask DisposeAsync()
    {
        if (master is { HasExited: false })
        {
            master.Kill(entireProcessTree: true);
            await master.WaitForExitAsync();
        }
        master?.Dispose();
        // Workers may outlive the master by a moment; they belong to this prefix only.
        try { Directory.Delete(Prefix, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
