namespace ControlPanel.Engine.Files;

/// <summary>
/// The SQLite files of the data directory (the panel's database, the job queue) hold password hashes, TOTP secrets and
/// what runs were asked for: the owner's alone, whatever the umask the panel or the CLI was started with.
/// </summary>
public static class PrivateDatabase
{
    /// <summary>
    /// Creates a missing data directory 0700 (an existing one is the owner's choice and keeps its mode).
    /// </summary>
    public static string EnsureDirectory(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory)) Directory.CreateDirectory(dataDirectory, AtomicFile.PrivateDirectory);
        return dataDirectory;
    }

    /// <summary>
    /// Makes the database file 0600 before SQLite opens it. SQLite creates a missing database with the umask's mode
    /// (0644 under the usual 022), and its -wal and -shm files with the database file's own mode, so an empty 0600 file
    /// made here (an empty file is an empty database) keeps all three private. Files of older releases are narrowed.
    /// </summary>
    public static string Prepare(string path)
    {
        if (!File.Exists(path))
        {
            try
            {
                using var created = new FileStream(path, new FileStreamOptions
                    { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = AtomicFile.Private });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Made meanwhile by a process starting beside this one.
            }
        }
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                if (File.GetUnixFileMode(file) != AtomicFile.Private) File.SetUnixFileMode(file, AtomicFile.Private);
            }
            catch (FileNotFoundException)
            {
                // -wal and -shm come and go with the connections of the processes using the database.
            }
        }
        return path;
    }
}
