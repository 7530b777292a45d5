using System.Security.Cryptography;
using System.Text;
using ControlPanel.Engine.Data;
using Npgsql;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// One mutating run per host, across processes and panel nodes. On SQLite (one machine) an exclusive open of a lock
/// file in the data directory takes an flock; on PostgreSQL (several nodes) a session advisory lock on a connection
/// of its own. Either way the holder's death frees it (the kernel drops the flock even after SIGKILL; PostgreSQL ends
/// the session of a dead node's connection), so a crash never leaves the host locked, and a free lock under a run
/// left Running tells that its executor is gone.
/// </summary>
public sealed class HostLock : IDisposable
{
    /// <summary>PostgreSQL advisory locks are two 32-bit keys: this first one says "a ControlPanel host lock".</summary>
    const int AdvisoryClass = 0x43504C4B;

    readonly IDisposable handle;
    readonly string? holderFile;

    HostLock(IDisposable handle, string? holderFile)
    {
        this.handle = handle;
        this.holderFile = holderFile;
    }

    public static HostLock? TryAcquire(string dataDirectory, string hostKey, string holder) =>
        DatabaseLocation.Of(dataDirectory) is { IsPostgres: true } postgres
            ? TryAcquirePostgres(postgres, hostKey, holder)
            : TryAcquireFile(dataDirectory, hostKey, holder);

    static HostLock? TryAcquireFile(string dataDirectory, string hostKey, string holder)
    {
        var dir = Path.Combine(dataDirectory, "locks");
        Directory.CreateDirectory(dir);
        var name = FileName(hostKey);
        var path = Path.Combine(dir, name + ".lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            var holderFile = Path.Combine(dir, name + ".holder");
            File.WriteAllText(holderFile, Holder(holder, hostKey));
            return new HostLock(stream, holderFile);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The lock lives as long as its own connection (not pooled: a pooled connection's session would outlive Dispose
    /// and keep the lock). The connection's application name says who holds it, for <see cref="Describe"/>.
    /// </summary>
    static HostLock? TryAcquirePostgres(DatabaseLocation location, string hostKey, string holder)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location.ConnectionString)
        {
            Pooling = false,
            // PostgreSQL keeps 63 bytes of it.
            ApplicationName = Holder(holder, hostKey),
            // A node that vanished without closing its connection (power lost, network cut) loses the lock within about
            // 25 s, when the server's keepalive probes go unanswered, instead of the system's default two hours.
            Options = "-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3",
        }.ConnectionString);
        try
        {
            connection.Open();
            using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@class, @key)", connection);
            command.Parameters.AddWithValue("class", AdvisoryClass);
            command.Parameters.AddWithValue("key", AdvisoryKey(hostKey));
            if (command.ExecuteScalar() is true) return new HostLock(connection, null);
            connection.Dispose();
            return null;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Of these hosts, those whose lock someone holds now, asked in one query (PostgreSQL); null on SQLite, where only a
    /// probe tells. Lets the takeover look every few seconds skip the runs that are alive without a connection each.
    /// </summary>
    public static async Task<IReadOnlySet<string>?> HeldAsync(string dataDirectory, IEnumerable<string> hostKeys)
    {
        if (DatabaseLocation.Of(dataDirectory) is not { IsPostgres: true } postgres) return null;
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = @class::oid AND objsubid = 2", connection);
        command.Parameters.AddWithValue("class", (long)AdvisoryClass);
        var held = new HashSet<long>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) held.Add(reader.GetInt64(0));
        return hostKeys.Where(k => held.Contains((uint)AdvisoryKey(k))).ToHashSet();
    }

    /// <summary>Who holds the lock of a host, as the holder wrote it.</summary>
    public static string Describe(string dataDirectory, string hostKey)
    {
        if (DatabaseLocation.Of(dataDirectory) is { IsPostgres: true } postgres)
        {
            using var connection = new NpgsqlConnection(postgres.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("""
                SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.granted AND l.classid = @class::oid AND l.objid = @key::oid AND l.objsubid = 2
                """, connection);
            command.Parameters.AddWithValue("class", (long)AdvisoryClass);
            command.Parameters.AddWithValue("key", (long)(uint)AdvisoryKey(hostKey));
            return command.ExecuteScalar() as string ?? "another process";
        }
        var file = Path.Combine(dataDirectory, "locks", FileName(hostKey) + ".holder");
        return File.Exists(file) ? File.ReadAllText(file) : "another process";
    }

    /// <summary>A lock on a database connection can be lost while held (the connection dies); a file lock cannot.</summary>
    public bool CanBeLost => holderFile is null; // only a file lock has a holder file

    /// <summary>Whether the lock is still held: its connection still answers (within 5 s).</summary>
    public async Task<bool> IsHeldAsync()
    {
        if (handle is not NpgsqlConnection connection) return true;
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 5 };
            return await command.ExecuteScalarAsync() is 1;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException) { return false; }
    }

    static string Holder(string holder, string hostKey) => $"{holder} (pid {Environment.ProcessId} on {Environment.MachineName}) on {hostKey}";

    static string FileName(string hostKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hostKey)))[..24];

    static int AdvisoryKey(string hostKey) => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(hostKey)), 0);

    public void Dispose()
    {
        if (holderFile is not null)
            try { File.Delete(holderFile); } catch (IOException) { }
        // Closing the unpooled connection ends its session, and the advisory lock with it.
        handle.Dispose();
    }
}

/// <summary>Another run holds the host (CLI exit code 3).</summary>
public sealed class HostBusyException(string hostKey, string holder)
    : Exception($"another run holds {hostKey}: {holder}; wait for it to finish or cancel it")
{
    public string HostKey { get; } = hostKey;
}

/// <summary>What a run was to be started for (a batch's waiting host) was taken by another process first; nothing was recorded.</summary>
public sealed class ClaimLostException() : Exception("another process took this first");
