using System.Diagnostics;
using ControlPanel.Engine.Processes;
using Npgsql;

namespace ControlPanel.TestPeers;

/// <summary>
/// Debian's real PostgreSQL (the `postgresql` package) as a throw-away cluster: initdb into a temp directory, the server
/// on a loopback port with its socket in that directory, trust authentication for one user, fsync off. One cluster
/// per test process, started on first use and stopped when the process exits; every test takes a database of its
/// own (<see cref="NewDatabaseAsync"/>). As root (CI) the cluster runs as the `postgres` user: initdb refuses root.
/// </summary>
public sealed class PostgresPeer
{
    const string User = "controlpanel";
    static readonly SemaphoreSlim Gate = new(1, 1);
    static PostgresPeer? started;

    PostgresPeer(string directory, int port) => (Directory, Port) = (directory, port);

    public string Directory { get; }
    public int Port { get; }

    /// <summary>A new empty database on the cluster, as the URL `--database` takes.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var peer = await StartedAsync();
        var name = "t" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={peer.Port};Username={User};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return $"postgres://{User}@127.0.0.1:{peer.Port}/{name}";
    }

    static async Task<PostgresPeer> StartedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return started ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task<PostgresPeer> StartAsync()
    {
        RemoveStale();
        var bin = Bin();
        var dir = Path.Combine(Path.GetTempPath(), "pg-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, OwnerFile), Identity(Environment.ProcessId));
        var asRoot = Environment.UserName == "root";
        if (asRoot) await Run(false, "chown", "postgres:postgres", dir);
        var data = Path.Combine(dir, "data");
        var peer = new PostgresPeer(dir, LoopbackPorts.Tcp());
        await Run(asRoot, Path.Combine(bin, "initdb"), "-D", data, "-U", User, "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8");
        await Run(asRoot, Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "start", "-o",
            $"-p {peer.Port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove(dir);
        return peer;
    }

    /// <summary>The file naming the test process a cluster belongs to (its pid and start time).</summary>
    const string OwnerFile = "owner";

    /// <summary>Stops a cluster's server (if it runs) and deletes its folder.</summary>
    static void Remove(string dir)
    {
        var data = Path.Combine(dir, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            using var stop = Process.Start(Command(Environment.UserName == "root", Path.Combine(Bin(), "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]));
            stop?.WaitForExit(10_000);
        }
        try { System.IO.Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Clusters of test processes that ended without their exit handler (killed, or ended by the test platform; about
    /// 40 MB each, and a running server): a cluster whose owner process is gone, or that names none and is older than a
    /// minute (a folder being created has its owner file at once), is stopped and removed.
    /// </summary>
    static void RemoveStale()
    {
        foreach (var dir in System.IO.Directory.GetDirectories(Path.GetTempPath(), "pg-*"))
        {
            try
            {
                var owner = Path.Combine(dir, OwnerFile);
                if (File.Exists(owner)
                        ? File.ReadAllText(owner) is var recorded && int.TryParse(recorded.Split(' ')[0], out var pid) && Identity(pid) == recorded
                        : System.IO.Directory.GetCreationTimeUtc(dir) > DateTime.UtcNow.AddMinutes(-1))
                    continue;
                Remove(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>A process as "PID START" (<see cref="ProcessStart"/>): a reused pid differs.</summary>
    static string Identity(int pid) => $"{pid} {ProcessStart.TicksOf(pid)}";

    /// <summary>Debian keeps the server's tools out of PATH, under /usr/lib/postgresql/VERSION/bin; the newest is taken.</summary>
    static string Bin() =>
        System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault() ?? throw new InvalidOperationException("PostgreSQL's initdb is not under /usr/lib/postgresql: install Debian's postgresql (tests/run-all.sh does)")
            : throw new InvalidOperationException("PostgreSQL is not installed: install Debian's postgresql (tests/run-all.sh does)");

    /// <summary>Runs a tool; as the `postgres` user when <paramref name="asPostgres"/>.</summary>
    static async Task Run(bool asPostgres, string tool, params string[] args)
    {
        using var process = Process.Start(Command(asPostgres, tool, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {await output}{await error}");
    }

    static ProcessStartInfo Command(bool asPostgres, string tool, string[] args)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in asPostgres ? ["-u", "postgres", "--", tool, .. args] : args) start.ArgumentList.Add(a);
        return start;
    }
}
