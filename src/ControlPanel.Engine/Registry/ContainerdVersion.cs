using System.Text.RegularExpressions;

namespace ControlPanel.Engine.Registry;

/// <summary>The containerd release on a host, from `containerd --version`.</summary>
public sealed partial record ContainerdVersion(int Major, int Minor, int Patch)
{
    /// <summary>containerd 1.5 added per-registry hosts.toml files (config_path); older ones only read config.toml's mirrors.</summary>
    public bool ReadsHostsDir => Major > 1 || (Major == 1 && Minor >= 5);

    /// <summary>containerd 2.0 looks in /etc/containerd/certs.d without any config.toml.</summary>
    public bool HostsDirByDefault => Major >= 2;

    public override string ToString() => $"{Major}.{Minor}.{Patch}";

    /// <summary>
    /// Reads "containerd github.com/containerd/containerd 1.6.20~ds1 ..." (Debian), "containerd containerd.io 1.6.21 ..."
    /// (Docker's packages) or "containerd github.com/containerd/containerd/v2 v2.0.0 ..." (upstream); null otherwise.
    /// </summary>
    public static ContainerdVersion? Parse(string output)
    {
        var m = Pattern().Match(output);
        return m.Success
            ? new ContainerdVersion(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0)
            : null;
    }

    [GeneratedRegex(@"^containerd\s+\S+\s+v?(\d+)\.(\d+)(?:\.(\d+))?")]
    private static partial Regex Pattern();
}
