namespace ControlPanel.Engine.Files;

/// <summary>Files the engine itself keeps on the machine it runs on (data directory, certificates): written atomically, mode set before they appear.</summary>
public static class AtomicFile
{
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    public const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;

    public static void Write(string path, string content, UnixFileMode mode) =>
        Write(path, System.Text.Encoding.UTF8.GetBytes(content), mode);

    public static void Write(string path, byte[] content, UnixFileMode mode)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions
                   { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.SetUnixFileMode(temp, mode);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Creates a directory (and parents) and sets the mode of the last one.</summary>
    public static string EnsureDirectory(string path, UnixFileMode mode)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
        return path;
    }
}
