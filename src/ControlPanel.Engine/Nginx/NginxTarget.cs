namespace ControlPanel.Engine.Nginx;

/// <summary>
/// Where nginx lives on a host and how it is tested and reloaded. The defaults are Debian's nginx under systemd;
/// tests point everything at an nginx in a private prefix.
/// </summary>
public sealed record NginxTarget
{
    /// <summary>The site file we own. conf.d is included by Debian's nginx.conf for every site.</summary>
    public string SitePath { get; init; } = "/etc/nginx/conf.d/controlpanel.conf";

    /// <summary>
    /// Site files that may already serve our domain (panel.sh wrote conf.d/default.conf). One that names our
    /// domain is moved aside to FILE.controlpanel-backup and put back on uninstall. Debian's sites-enabled/default
    /// is left alone: it only answers names no other server claims.
    /// </summary>
    public IReadOnlyList<string> ConflictingSites { get; init; } = ["/etc/nginx/conf.d/default.conf"];

    /// <summary>Tests the complete configuration (nginx.conf with every include), not the site file alone.</summary>
    public IReadOnlyList<string> TestCommand { get; init; } = ["nginx", "-t"];

    /// <summary>Reloads a running nginx, or starts it if it is not running.</summary>
    public IReadOnlyList<string> ReloadCommand { get; init; } = ["systemctl", "reload-or-restart", "nginx"];

    /// <summary>Exits 0 when nginx is running.</summary>
    public IReadOnlyList<string> ActiveProbe { get; init; } = ["systemctl", "is-active", "--quiet", "nginx"];

    /// <summary>The master's pid file: a reload is proven by new worker processes under that master.</summary>
    public string PidFile { get; init; } = "/run/nginx.pid";

    /// <summary>Where nginx writes why a reload failed (nginx -s reload itself exits 0 either way).</summary>
    public string ErrorLog { get; init; } = "/var/log/nginx/error.log";

    /// <summary>How long a reload may take to show new workers.</summary>
    public TimeSpan ReloadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public string CertificateRoot { get; init; } = "/etc/letsencrypt/live";

    /// <summary>The ACME webroot: tokens go in WEBROOT/.well-known/acme-challenge/.</summary>
    public string AcmeWebroot { get; init; } = "/var/www/controlpanel-acme";

    /// <summary>"" = all IPv4 addresses, "[::]" = all IPv6 addresses; tests use "127.0.0.1".</summary>
    public IReadOnlyList<string> ListenAddresses { get; init; } = ["", "[::]"];
    public int HttpPort { get; init; } = 80;
    public int HttpsPort { get; init; } = 443;

    public string CertificatePath(string domain) => $"{CertificateRoot}/{domain}/fullchain.pem";
    public string KeyPath(string domain) => $"{CertificateRoot}/{domain}/privkey.pem";
    public string ChallengeDirectory => AcmeWebroot + "/.well-known/acme-challenge";

    /// <summary>The first version of a file that was not ours, kept to be restored on uninstall.</summary>
    public static string BackupPath(string path) => path + ".controlpanel-backup";
}
