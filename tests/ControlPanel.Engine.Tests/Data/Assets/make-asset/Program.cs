using System.Diagnostics;
using ControlPanel.TestPeers;
using ControlPanel.Web;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Auth;
using ControlPanel.Web.Services;
using Microsoft.Data.Sqlite;

namespace MakeAsset;

/// <summary>
/// Uses a data directory as a user of the old release would: through its `controlpanel` binary (runs, hosts, a batch,
/// certificates) and through the panel's own services (the admin account with TOTP, sign-ins, settings, audit rows),
/// then copies the database out.
/// </summary>
static class Program
{
    static string binary = "";
    static string data = "";

    static async Task<int> Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("usage: MakeAsset OLD_CONTROLPANEL_BINARY OUT.db");
            return 2;
        }
        binary = Path.GetFullPath(args[0]);
        var root = Path.Combine(Path.GetTempPath(), "cp-asset-" + Guid.NewGuid().ToString("N")[..8]);
        data = Path.Combine(root, "data");
        try
        {
            await CliAsync(root);
            await PanelAsync();
            CopyDatabase(Path.GetFullPath(args[1]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    static async Task CliAsync(string root)
    {
        // Run 1 fails at faasd, then is resumed and succeeds; run 2 uninstalls keeping the data.
        var fixtures = Path.Combine(root, "fixtures");
        Directory.CreateDirectory(fixtures);
        File.WriteAllText(Path.Combine(fixtures, "lines-deps"), "40");
        File.WriteAllText(Path.Combine(fixtures, "fail-faasd"), "");
        await Cli(1, "install", "-d", "panel.example.test", "-m", "admin@example.test", "--yes", "--fixture-plans", fixtures);
        File.Delete(Path.Combine(fixtures, "fail-faasd"));
        await Cli(0, "rerun", "1");
        await Cli(0, "uninstall", "--keep-data", "--yes", "--fixture-plans", fixtures);

        // Two pinned hosts (Debian's sshd on loopback) and one never trusted; a batch on the pinned two, edge2 down.
        await using var edge1 = await LoopbackSshd.StartAsync();
        await using var edge2 = await LoopbackSshd.StartAsync();
        await AddTrustedHost("edge1", edge1, "pi", "site=paris");
        await AddTrustedHost("edge2", edge2, "site=lyon");
        await Cli(0, "hosts", "add", "edge3", "ubuntu@192.0.2.53:2222", "--label", "site=rome");
        await edge2.StopAsync();
        await Cli(1, "install", "-d", "fleet.example.test", "-m", "ops@example.test", "--yes",
            "--fixture-plans", Path.Combine(root, "fleet-fixtures"), "--host", "edge1", "--host", "edge2", "--parallel", "2");

        // One certificate issued by pebble, one whose challenge pebble cannot reach (its failure is recorded).
        await using var pebble = await Pebble.StartAsync();
        await Cli(0, "cert", "issue", "--domain", "panel.example.test", "--domain", "www.panel.example.test", "--email", "admin@example.test",
            "--directory", pebble.DirectoryUrl, "--directory-ca", pebble.CaFile, "--http-port", pebble.HttpPort.ToString(),
            "--out", Path.Combine(root, "live", "panel.example.test"));
        await Cli(1, "cert", "issue", "--domain", "broken.example.test",
            "--directory", pebble.DirectoryUrl, "--directory-ca", pebble.CaFile, "--http-port", LoopbackPorts.Tcp().ToString(),
            "--out", Path.Combine(root, "live", "broken.example.test"));
    }

    static async Task AddTrustedHost(string name, LoopbackSshd sshd, params string[] labels)
    {
        await Cli(0, ["hosts", "add", name, $"{Environment.UserName}@127.0.0.1:{sshd.Port}", "--key", sshd.ClientKey, .. labels.SelectMany(l => new[] { "--label", l })]);
        await Cli(0, "hosts", "trust", name, "--yes", "--fingerprint", await sshd.HostKeyFingerprintAsync());
    }

    /// <summary>What the Setup, Settings and Login pages do, through the same services and with the same audit rows.</summary>
    static async Task PanelAsync()
    {
        const string password = "asset-admin-password-1";
        const string ip = "127.0.0.1";
        var settings = new PanelSettings(data, "http://127.0.0.1:8800");
        var accounts = new AccountService(settings);
        var audit = new AuditLog(settings);

        var admin = await accounts.CreateFirstUserAsync("admin", password, password);
        await audit.WriteAsync(admin.UserName, AuditActions.Setup, "admin account created with the setup token", ip);

        var secret = Totp.NewSecret();
        if (!await accounts.EnableTotpAsync("admin", secret, Totp.Code(Base32.Decode(secret), DateTimeOffset.UtcNow)))
            throw new InvalidOperationException("TOTP was not enabled");
        await audit.WriteAsync("admin", AuditActions.TotpEnable, null, ip);

        var ok = await accounts.VerifyAsync("admin", password, Totp.Code(Base32.Decode(secret), DateTimeOffset.UtcNow));
        if (ok.Outcome != LoginOutcome.Ok) throw new InvalidOperationException($"sign-in: {ok.Outcome}");
        await audit.WriteAsync("admin", AuditActions.LoginOk, null, ip);
        var wrong = await accounts.VerifyAsync("admin", "not-the-password", "000000");
        if (wrong.Outcome != LoginOutcome.WrongCredentials) throw new InvalidOperationException($"wrong sign-in: {wrong.Outcome}");
        await audit.WriteAsync("admin", AuditActions.LoginFailed, null, ip);

        await new PanelDefaults(settings).SaveAsync("current", "https://mirror.example.test/controlpanel/");
        await audit.WriteAsync("admin", AuditActions.SettingsSave, "profile=current mirror=https://mirror.example.test/controlpanel/", ip);
    }

    /// <summary>Folds the WAL into the file first: the copy is the whole database, as the release leaves it at rest.</summary>
    static void CopyDatabase(string output)
    {
        var file = Path.Combine(data, "controlpanel.db");
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }
        File.Copy(file, output, overwrite: true);
        Console.WriteLine($"wrote {output}");
    }

    static async Task Cli(int expectedExitCode, params string[] args)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args.Concat(["--data", data])) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Console.WriteLine($"controlpanel {string.Join(' ', args)}: exit {process.ExitCode}");
        if (process.ExitCode != expectedExitCode)
            throw new InvalidOperationException($"expected exit {expectedExitCode}:\n{await stdout}\n{await stderr}");
    }
}
