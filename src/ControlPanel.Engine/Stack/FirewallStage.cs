using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>
/// With nginx in front, faasd's gateway (8080) and provider (8081) listen on all interfaces but must not be
/// reachable from outside. The rules live in a chain of our own, jumped to from INPUT, loaded by a oneshot
/// unit at boot (so they survive reboots without iptables-persistent) and removed by stopping that unit.
/// Loopback and the openfaas0 bridge stay allowed: nginx proxies on 127.0.0.1 and the gateway container
/// reaches the provider at the bridge address.
/// </summary>
public sealed class FirewallStage : Stage
{
    public const string Chain = "CONTROLPANEL-FAASD";
    public const string UnitName = "controlpanel-firewall.service";

    /// <summary>The chain's rules, in the form `iptables -S` prints them.</summary>
    public static readonly string[] RulesV4 =
    [
        $"-A {Chain} -i lo -j RETURN",
        $"-A {Chain} -i {StackPaths.Bridge} -j RETURN",
        $"-A {Chain} -p tcp -m multiport --dports 8080,8081 -j DROP",
    ];
    public static readonly string[] RulesV6 =
    [
        $"-A {Chain} -i lo -j RETURN",
        $"-A {Chain} -p tcp -m multiport --dports 8080,8081 -j DROP",
    ];

    /// <summary>iptables-restore input: declaring the chain flushes it (with --noflush nothing else is touched), then the jump goes first in INPUT.</summary>
    public static string RestoreFile(string[] rules) =>
        "# Written by ControlPanel: faasd's ports 8080/8081 only from loopback and the openfaas0 bridge. Removed on uninstall.\n" +
        $"*filter\n:{Chain} - [0:0]\n{string.Join('\n', rules)}\n-I INPUT 1 -j {Chain}\nCOMMIT\n";

    public static readonly string Unit = $"""
        # Written by ControlPanel. Removed on uninstall.
        [Unit]
        Description=ControlPanel: keep faasd's ports 8080 and 8081 off the network (nginx fronts them)
        Wants=network-pre.target
        Before=network-pre.target faasd.service faasd-provider.service
        DefaultDependencies=no

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        ExecStartPre=-/usr/sbin/iptables -w -D INPUT -j {Chain}
        ExecStartPre=-/usr/sbin/ip6tables -w -D INPUT -j {Chain}
        ExecStart=/usr/sbin/iptables-restore --noflush {StackPaths.FirewallRulesV4}
        ExecStart=-/usr/sbin/ip6tables-restore --noflush {StackPaths.FirewallRulesV6}
        ExecStop=-/usr/sbin/iptables -w -D INPUT -j {Chain}
        ExecStop=-/usr/sbin/iptables -w -F {Chain}
        ExecStop=-/usr/sbin/iptables -w -X {Chain}
        ExecStop=-/usr/sbin/ip6tables -w -D INPUT -j {Chain}
        ExecStop=-/usr/sbin/ip6tables -w -F {Chain}
        ExecStop=-/usr/sbin/ip6tables -w -X {Chain}

        [Install]
        WantedBy=multi-user.target

        """;

    public override string Name => "firewall";
    public override string Title => "Keep ports 8080/8081 off the network (iptables chain, boot unit)";

    public override async Task<StageCheck> CheckAsync(StageContext context)
    {
        // Asked at once (over SSH each is a round trip), judged in order.
        var files = Task.WhenAll(context.ReadFileAsync(StackPaths.FirewallRulesV4), context.ReadFileAsync(StackPaths.FirewallRulesV6),
            context.ReadFileAsync(StackPaths.FirewallUnit));
        var states = Systemd.StatesAsync(context, UnitName);
        await Task.WhenAll(files, states);
        if (!(await files).SequenceEqual([RestoreFile(RulesV4), RestoreFile(RulesV6), Unit]))
            return StageCheck.Needed(NotOurs.Message());
        if (!(await states)[0].Enabled) return StageCheck.Needed(CheckReasons.NotEnabled.With(("unit", UnitName)));
        if (!await ChainInPlaceAsync(context, "iptables", RulesV4)) return StageCheck.Needed(ChainNotLoaded.With(("chain", Chain)));
        return StageCheck.Satisfied(Closed.With(("chain", Chain)));
    }

    static readonly MessageTemplate NotOurs = new("firewall.not-ours", "the firewall rules or their unit are missing or not ours");
    static readonly MessageTemplate ChainNotLoaded = new("firewall.chain-not-loaded", "chain {chain} is not loaded or not jumped to from INPUT");
    static readonly MessageTemplate Closed = new("firewall.closed", "8080/8081 closed to the outside by chain {chain}");

    public override async Task ApplyAsync(StageContext context)
    {
        var changed = false;
        changed |= (await context.WriteFileAsync(new FileSpec(StackPaths.FirewallRulesV4, RestoreFile(RulesV4), "0644"))).Changed;
        changed |= (await context.WriteFileAsync(new FileSpec(StackPaths.FirewallRulesV6, RestoreFile(RulesV6), "0644"))).Changed;
        var unit = await context.WriteFileAsync(new FileSpec(StackPaths.FirewallUnit, Unit, "0644"));
        if (unit.Changed) await Systemd.DaemonReloadAsync(context);
        await Systemd.EnableAsync(context, UnitName);
        await Systemd.RestartAsync(context, UnitName);
    }

    /// <summary>The chain holds exactly our rules and INPUT jumps to it.</summary>
    public static async Task<bool> ChainInPlaceAsync(Stages.StageContext context, string iptables, string[] rules)
    {
        var jump = await context.ProbeAsync(iptables, "-w", "-C", "INPUT", "-j", Chain);
        var listed = await context.ProbeAsync(iptables, "-w", "-S", Chain);
        var lines = listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("-A ", StringComparison.Ordinal));
        return jump.ExitCode == 0 && listed.ExitCode == 0 && lines.SequenceEqual(rules);
    }
}
