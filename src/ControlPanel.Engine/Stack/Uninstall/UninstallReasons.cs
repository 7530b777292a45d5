using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Stack.Uninstall;

/// <summary>What the uninstall stages' checks say, each under one key (shared ones are in Stages/CheckReasons).</summary>
static class UninstallReasons
{
    public static readonly MessageTemplate ContainerdDown = new("uninstall.containerd-down", "containerd is not running: no tasks to stop");
    public static readonly MessageTemplate TasksLeft = new("uninstall.tasks-left", "tasks left in namespace {namespace}");
    public static readonly MessageTemplate ContainersLeft = new("uninstall.containers-left", "containers left in namespace {namespace}");
    public static readonly MessageTemplate NamespaceLeft = new("uninstall.namespace-left", "namespace {namespace} still exists");
    public static readonly MessageTemplate NoContainers = new("uninstall.no-containers", "no faasd containers left");
    public static readonly MessageTemplate NoShims = new("uninstall.no-shims", "no shims or log collectors left");
    public static readonly MessageTemplate ShimsLeft = new("uninstall.shims-left", "{count} left: {processes}");
    public static readonly MessageTemplate NoLink = new("uninstall.no-link", "no {link} link");
    public static readonly MessageTemplate NoCniIptables = new("uninstall.no-cni-iptables", "no CNI iptables state of {network}");
    public static readonly MessageTemplate CniRulesLeft = new("uninstall.cni-rules-left", "{count} rules/chains to remove, e.g. {first}");
    public static readonly MessageTemplate NoCniState = new("uninstall.no-cni-state", "no CNI state of {network}");
    public static readonly MessageTemplate NoFiles = new("uninstall.no-files", "no stack files left");
    public static readonly MessageTemplate FilesLeft = new("uninstall.files-left", "{count} left, e.g. {first}");
    public static readonly MessageTemplate ChainExists = new("uninstall.chain-exists", "{tool} chain {chain} exists");
    public static readonly MessageTemplate NoFirewall = new("uninstall.no-firewall", "no firewall chain or unit");
    public static readonly MessageTemplate ToRestore = new("uninstall.to-restore", "to restore: {items}");
    public static readonly MessageTemplate NothingToRestore = new("uninstall.nothing-to-restore", "nothing to restore");
    public static readonly MessageTemplate RunningOrEnabled = new("uninstall.running-or-enabled", "{unit} is running or enabled");
    public static readonly MessageTemplate ContainerdStopped = new("uninstall.containerd-stopped", "containerd stopped and disabled (or absent)");
    public static readonly MessageTemplate FaasdStopped = new("uninstall.faasd-stopped", "faasd services stopped and disabled (or absent)");
    public static readonly MessageTemplate MountsLeft = new("uninstall.mounts-left", "{count} mounts left, e.g. {first}");
    public static readonly MessageTemplate NothingMounted = new("uninstall.nothing-mounted", "nothing mounted under {roots}");
}
