namespace ControlPanel.Engine.Stack;

/// <summary>Where the faasd stack lives on a host: what the install writes and the uninstall removes.</summary>
public static class StackPaths
{
    public const string BinDir = "/usr/local/bin";
    public const string Ctr = "/usr/local/bin/ctr";
    public const string FaasdBinary = "/usr/local/bin/faasd";
    public const string CniBinDir = "/opt/cni/bin";
    public const string CniConfig = "/etc/cni/net.d/10-openfaas.conflist";
    public const string CniResults = "/var/lib/cni/results";
    public const string CniNetwork = "openfaas-cni-bridge";
    public const string CniSubnetPrefix = "10.62.";
    public const string Bridge = "openfaas0";

    public const string ContainerdUnit = "/etc/systemd/system/containerd.service";
    public const string ContainerdRun = "/run/containerd";
    public const string ContainerdData = "/var/lib/containerd";
    public const string ShimTasks = "/run/containerd/io.containerd.runtime.v2.task";

    /// <summary>`faasd install` writes its units here, not under /etc.</summary>
    public const string FaasdUnit = "/lib/systemd/system/faasd.service";
    public const string FaasdProviderUnit = "/lib/systemd/system/faasd-provider.service";
    public const string FaasdData = "/var/lib/faasd";
    public const string FaasdProviderData = "/var/lib/faasd-provider";
    public const string FaasdSecrets = "/var/lib/faasd/secrets";

    public const string FirewallUnit = "/etc/systemd/system/controlpanel-firewall.service";
    public const string FirewallRulesV4 = "/etc/controlpanel/firewall.rules";
    public const string FirewallRulesV6 = "/etc/controlpanel/firewall6.rules";
    public const string ConfigDir = "/etc/controlpanel";

    /// <summary>Sorts after Debian's 99-sysctl.conf (/etc/sysctl.conf), so a "forwarding = 0" there cannot undo ours at boot.</summary>
    public const string SysctlFile = "/etc/sysctl.d/99-zz-controlpanel.conf";

    /// <summary>
    /// The engine's own state on the host: component markers and backups of what it changed. The folder is shared: a
    /// panel that install.sh put on the host keeps its database, keys and logs there too (its data directory as root),
    /// so uninstall removes only <see cref="StackState"/> and then the folder if that left it empty.
    /// </summary>
    public const string StateDir = "/var/lib/controlpanel";
    public const string MarkerDir = "/var/lib/controlpanel/components";
    public const string BackupDir = "/var/lib/controlpanel/backup";
    public const string BundleDir = "/var/lib/controlpanel/faasd-bundle";
    public const string FaasdEulaRecord = "/var/lib/controlpanel/faasd-eula-accepted";
    /// <summary>What the stack keeps under <see cref="StateDir"/> (the cache's marker is the cache's, removed by its own uninstall).</summary>
    public static readonly string[] StackState = [MarkerDir, BackupDir, BundleDir, FaasdEulaRecord];
    /// <summary>Verified release archives on the host, kept so uninstall knows exactly which files they put where.</summary>
    public const string ArtifactDir = "/var/cache/controlpanel/artifacts";
    public const string CacheDir = "/var/cache/controlpanel";

    public static string[] CniIpamStates => ["/var/lib/cni/networks/" + CniNetwork, "/var/run/cni/" + CniNetwork];

    /// <summary>Folders CNI creates for faasd's network, removed again when empty, deepest first.</summary>
    public static readonly string[] CniParents = ["/etc/cni/net.d", "/etc/cni", CniResults, "/var/lib/cni/networks", "/var/lib/cni", "/var/run/cni"];

    /// <summary>Folders the install creates for its files, removed again when empty, deepest first.</summary>
    public static readonly string[] EmptyParents = [CniBinDir, "/opt/cni", ConfigDir, CacheDir];

    /// <summary>Data removed unless the user keeps it (secrets, images).</summary>
    public static readonly string[] Data = [FaasdData, FaasdProviderData, ContainerdData];

    /// <summary>Every path the plan touches; the host snapshot records their state before install.</summary>
    public static readonly string[] Touched =
    [
        FaasdBinary, Ctr, "/usr/local/bin/containerd", "/usr/local/bin/containerd-shim", "/usr/local/bin/containerd-shim-runc-v1",
        "/usr/local/bin/containerd-shim-runc-v2", "/usr/local/bin/containerd-stress",
        CniBinDir, "/opt/cni", "/etc/cni", "/etc/cni/net.d", CniConfig, "/var/lib/cni", CniResults, .. CniIpamStates,
        ContainerdUnit, FaasdUnit, FaasdProviderUnit, FirewallUnit, ConfigDir, FirewallRulesV4, FirewallRulesV6, SysctlFile,
        ContainerdRun, .. Data, StateDir, CacheDir,
    ];
}
