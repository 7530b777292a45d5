namespace ControlPanel.Tests.Support;

/// <summary>
/// A panel whose "this machine" cannot harm this machine: it runs in a private mount namespace in which /etc/docker
/// and /etc/containerd are this test's own folders and /usr/bin/systemctl is a FIXTURE (there is no systemd here):
/// the stages write real files at their real paths and start Debian's real docker-registry, and nothing outside
/// changes. The fixture systemctl keeps its units' state (enabled, pid, log) in <see cref="Units"/>. Needs root.
/// </summary>
public sealed class PrivateEtc : IDisposable
{
    public PrivateEtc()
    {
        Directory.CreateDirectory(Docker);
        Directory.CreateDirectory(Containerd);
        Directory.CreateDirectory(Units);
        File.WriteAllText(Systemctl, SystemctlScript.Replace("@UNITS@", Units));
        File.SetUnixFileMode(Systemctl, (UnixFileMode)0b111_101_101);
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("cp-private-etc-").FullName;
    public string Docker => Path.Combine(Root, "docker");
    public string Containerd => Path.Combine(Root, "containerd");
    public string Units => Path.Combine(Root, "units");
    string Systemctl => Path.Combine(Root, "systemctl");

    /// <summary>The command that starts the panel inside the namespace (it execs its remaining arguments).</summary>
    public IReadOnlyList<string> Wrapper =>
    [
        "unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
        """mount --bind "$1" /etc/docker && mount --bind "$2" /etc/containerd && mount --bind "$3" /usr/bin/systemctl && shift 3 && exec "$@" """,
        "sh", Docker, Containerd, Systemctl,
    ];

    /// <summary>Whether the fixture systemctl has a live process for the unit.</summary>
    public bool IsRunning(string unit) => Pid(unit) is { } pid && Directory.Exists($"/proc/{pid}");

    int? Pid(string unit) => File.Exists(Path.Combine(Units, unit + ".pid")) && int.TryParse(File.ReadAllText(Path.Combine(Units, unit + ".pid")).Trim(), out var p) ? p : null;

    public void Dispose()
    {
        foreach (var pidFile in Directory.GetFiles(Units, "*.pid"))
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
                try { System.Diagnostics.Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>FIXTURE systemctl: only docker-registry is a unit it can run (as the packaged unit does: `docker-registry serve config.yml`).</summary>
    const string SystemctlScript = """
        #!/bin/sh
        # FIXTURE systemctl of ControlPanel's panel tests (tests/ControlPanel.Tests/Support/PrivateEtc.cs): no systemd here.
        units='@UNITS@'
        for last in "$@"; do :; done
        alive() { [ -f "$units/$last.pid" ] && kill -0 "$(cat "$units/$last.pid")" 2>/dev/null; }
        stop() { if alive; then kill "$(cat "$units/$last.pid")"; sleep 0.3; fi; rm -f "$units/$last.pid"; }
        start() {
            [ "$last" = docker-registry ] || { echo "fixture systemctl: unit $last not found" >&2; exit 5; }
            /usr/bin/docker-registry serve /etc/docker/registry/config.yml >>"$units/$last.log" 2>&1 </dev/null &
            echo $! >"$units/$last.pid"
        }
        echo "systemctl $*" >>"$units/calls.log"
        case "$1" in
            is-active) alive ;;
            is-enabled) [ -f "$units/$last.enabled" ] ;;
            enable) touch "$units/$last.enabled" ;;
            disable) rm -f "$units/$last.enabled" ;;
            cat) [ "$last" = docker-registry ] ;;
            show)
                # show --property=LoadState,ActiveState,UnitFileState -- UNIT...: a block per unit, an empty line between.
                first=1
                for u in "$@"; do
                    case "$u" in show|--*) continue ;; esac
                    last=$u
                    [ $first = 1 ] || echo
                    first=0
                    if [ "$u" = docker-registry ]; then echo LoadState=loaded; else echo LoadState=not-found; fi
                    if alive; then echo ActiveState=active; else echo ActiveState=inactive; fi
                    if [ -f "$units/$u.enabled" ]; then echo UnitFileState=enabled; else echo UnitFileState=disabled; fi
                done ;;
            start) alive || start ;;
            restart) stop; start ;;
            stop) stop ;;
            daemon-reload) ;;
            *) echo "fixture systemctl: $1 is not supported" >&2; exit 1 ;;
        esac
        """;
}
