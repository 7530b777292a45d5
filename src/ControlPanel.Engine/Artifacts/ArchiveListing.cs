using System.Formats.Tar;
using System.IO.Compression;

namespace ControlPanel.Engine.Artifacts;

/// <summary>The files a .tar.gz puts down (folders left out, "./" dropped), read on the engine's side.</summary>
public static class ArchiveListing
{
    public static IReadOnlyList<string> Files(string tarGz)
    {
        using var file = File.OpenRead(tarGz);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType == TarEntryType.Directory) continue;
            var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
            if (name.Length > 0 && !name.Split('/').Contains("..")) names.Add(name);
        }
        return names;
    }
}
