#!/bin/sh
# Runs INSIDE the test VM (piped over ssh): prints the host state that an install may add and a clean
# uninstall must take away, one sorted line per item. The system test diffs a snapshot taken
# before the first install against one taken after each uninstall.
# Mode "fingerprint" instead prints what must not change when an install is run a second time:
# files of the stack with size, mode and hash, and the services' main PIDs and start times.
mode=${1:-state}
stack_paths="/usr/local/bin /usr/local/sbin /usr/local/lib/systemd /opt/cni /etc/cni /var/lib/cni /run/cni /var/run/cni \
  /etc/containerd /var/lib/containerd /run/containerd /var/lib/faasd /var/lib/faasd-provider /etc/sysctl.d \
  /etc/systemd/system /lib/systemd/system/faasd.service /lib/systemd/system/faasd-provider.service \
  /lib/systemd/system/containerd.service /etc/nginx /etc/letsencrypt /etc/iptables"

if [ "$mode" = fingerprint ]; then
  find $stack_paths -xdev \( -type f -o -type l \) 2>/dev/null | grep -v '^/run/containerd' | sort | while read -r f; do
    if [ -L "$f" ]; then echo "link $f -> $(readlink "$f")"; else echo "file $f $(stat -c '%a %u:%g %s' "$f") $(sha256sum <"$f" | cut -c1-16)"; fi
  done
  for u in containerd faasd faasd-provider nginx; do
    echo "unit $u $(systemctl show -p MainPID -p ActiveEnterTimestampMonotonic -p NRestarts "$u" 2>/dev/null | tr '\n' ' ')"
  done
  command -v ctr >/dev/null && for ns in $(ctr namespaces ls -q 2>/dev/null); do
    ctr -n "$ns" tasks ls 2>/dev/null | awk -v ns="$ns" 'NR>1{print "task " ns " " $1 " " $2 " " $3}'
  done
  exit 0
fi

{
  ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print "link " $2}'
  awk '{print "mount " $5 " " $9}' /proc/self/mountinfo
  ss -Hltnup | awk '{n=$0; sub(/.*users:\(\("/, "", n); sub(/".*/, "", n); if (n == $0) n = "?"; print "listen " $1 " " $5 " " n}'
  # Processes by name, not kernel threads, not the ones this very probe and its ssh session run.
  ps --ppid 2 -p 2 --deselect -o comm= | grep -vxE '\(.*\)|ps|sort|awk|sed|grep|sshd|sh|bash|ss|ip|find|cut|sha256sum|stat|xargs|systemctl|\(sd-pam\)|systemd-userwor' | sed 's/^/process /'
  if command -v iptables-save >/dev/null; then
    for t in filter nat mangle raw; do
      iptables-save -t "$t" 2>/dev/null | awk -v t="$t" '/^:/{c=substr($1, 2); if (c !~ /^(INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING)$/) print "chain " t " " c}'
      iptables-save -t "$t" 2>/dev/null | grep '^-A' | sed "s/^/rule $t /"
    done
  fi
  # Under a loaded TCG guest this D-Bus call can time out: retry, and say so rather than list nothing.
  for try in 1 2 3; do
    units=$(systemctl list-unit-files --no-legend --type=service 2>/dev/null) && [ -n "$units" ] && break
    units=; sleep 5
  done
  if [ -n "$units" ]; then echo "$units" | awk '{print "unit-file " $1 " " $2}'; else echo "error: systemctl list-unit-files failed"; fi
  systemctl list-units --no-legend --type=service --state=running 2>/dev/null | awk '{print "running " $1}'
  find $stack_paths -xdev 2>/dev/null | sed 's/^/path /'
} | sort -u
