using System.Globalization;

namespace ControlPanel.Engine.Artifacts;

/// <summary>
/// A transfer's progress as people read it: "cni-plugins/1.1.1/x.tgz: 12.3 MB of 40.0 MB (31%), 2.1 MB/s, 14 s left"
/// (kB below a megabyte, so a crawling mirror does not read "0.0 MB/s").
/// </summary>
public static class TransferProgress
{
    /// <param name="bytesPerSecond">The rate of this transfer so far (a resumed one counts from where it resumed).</param>
    public static string Describe(string what, long have, long? total, double bytesPerSecond)
    {
        var rate = $"{Size(bytesPerSecond)}/s";
        if (total is not { } all || all <= 0) return $"{what}: {Size(have)}, {rate}";
        var percent = (int)(100 * have / all);
        var left = bytesPerSecond > 0 ? $"{Math.Ceiling((all - have) / bytesPerSecond).ToString("0", CultureInfo.InvariantCulture)} s left" : "time left unknown";
        return $"{what}: {Size(have)} of {Size(all)} ({percent}%), {rate}, {left}";
    }

    static string Size(double bytes) => bytes < 1_000_000
        ? (bytes / 1000).ToString("0", CultureInfo.InvariantCulture) + " kB"
        : (bytes / 1_000_000).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
