#!/bin/bash
# A disposable test VM: a fresh copy-on-write overlay of the cached base image, booted under QEMU
# with user-mode networking, guest ports forwarded to free ports on 127.0.0.1 only.
#
#   vm.sh start RUNDIR IMAGEDIR   boot; wait for ssh; write RUNDIR/ports.env and RUNDIR/known_hosts
#   vm.sh ssh   RUNDIR cmd [arg...]  run a command (argv, not a shell line) in the VM as root
#   vm.sh forward RUNDIR LPORT PORT  ssh tunnel (foreground): host 127.0.0.1:LPORT to the guest's 127.0.0.1:PORT
#   vm.sh stop  RUNDIR            power off (kill if it hangs) and delete the overlay
#
# ports.env: SSH_PORT, HTTP_PORT (guest 80), HTTPS_PORT (guest 443), GATEWAY_PORT (guest 8080).
# From the guest, the host's loopback is 10.0.2.2 (QEMU user networking).
# One VM at a time on a machine (2 cores): the QEMU process holds a lock on the cache directory
# for as long as it runs, and `start` waits for it.
# A test that needs two VMs at once starts the second with VM_LOCK_HELD=1: its first VM holds the lock.
# env: CONTROLPANEL_TESTVM_CACHE, ACCEL=tcg|kvm, MEM (MiB, 2048), SMP (2), BOOT_TIMEOUT (s, 300), VM_LOCK_HELD
set -euo pipefail
cmd=${1:?usage: vm.sh start|ssh|stop RUNDIR ...}
run=${2:?RUNDIR missing}
cache=${CONTROLPANEL_TESTVM_CACHE:-/var/cache/controlpanel-testvm}

# Commands ride one master connection (ControlPath) once `start` has opened it: a key exchange costs seconds in a
# TCG guest, and the system test makes hundreds of calls. Without the master (not yet open, or gone), ssh connects
# on its own.
ssh_opts() {
  ssh_args=(-i "$run/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
    -o "UserKnownHostsFile=$run/known_hosts" -o LogLevel=ERROR -o ConnectTimeout=30
    -o ServerAliveInterval=10 -o ServerAliveCountMax=6 -o "ControlPath=$run/ssh.ctl" -p "$SSH_PORT")
}

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    ss -Htln "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}

alive() { [ -f "$run/qemu.pid" ] && kill -0 "$(cat "$run/qemu.pid")" 2>/dev/null; }

start() {
  local image=${1:?IMAGEDIR missing} accel tries
  mkdir -p "$run"
  alive && { echo "a VM already runs from $run" >&2; exit 1; }
  cp "$image/id_ed25519" "$run/id_ed25519"; chmod 600 "$run/id_ed25519"
  rm -f "$run/disk.qcow2" "$run/console.log"
  qemu-img create -q -f qcow2 -b "$image/base.img" -F raw "$run/disk.qcow2"
  accel=(-accel tcg,thread=multi -cpu max)
  [ "${ACCEL:-tcg}" = kvm ] && accel=(-enable-kvm -cpu host)

  mkdir -p "$cache"
  if [ "${VM_LOCK_HELD:-0}" != 1 ]; then
    exec 9>"$cache/vm.lock"
    if ! flock -n 9; then
      echo "waiting for another test VM to stop (lock $cache/vm.lock)" >&2
      flock -w "${LOCK_TIMEOUT:-900}" 9 || { echo "another test VM still runs" >&2; exit 1; }
    fi
  fi
  local t0=$SECONDS
  for tries in 1 2 3; do
    # Ports are picked free; a race with another process binding one first makes QEMU fail: pick again.
    SSH_PORT=$(free_port) HTTP_PORT=$(free_port) HTTPS_PORT=$(free_port) GATEWAY_PORT=$(free_port)
    printf 'SSH_PORT=%s\nHTTP_PORT=%s\nHTTPS_PORT=%s\nGATEWAY_PORT=%s\n' \
      "$SSH_PORT" "$HTTP_PORT" "$HTTPS_PORT" "$GATEWAY_PORT" >"$run/ports.env"
    # The QEMU process inherits fd 9 and so holds the one-VM lock until it exits.
    if qemu-system-x86_64 "${accel[@]}" -m "${MEM:-2048}" -smp "${SMP:-2}" -nodefaults -no-user-config \
        -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
        -append "root=/dev/vda rw console=ttyS0 net.ifnames=0 systemd.show_status=false" \
        -drive "file=$run/disk.qcow2,if=virtio,format=qcow2,cache=unsafe,discard=unmap" \
        -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$SSH_PORT-:22,hostfwd=tcp:127.0.0.1:$HTTP_PORT-:80,hostfwd=tcp:127.0.0.1:$HTTPS_PORT-:443,hostfwd=tcp:127.0.0.1:$GATEWAY_PORT-:8080" \
        -device virtio-net-pci,netdev=n0 -device virtio-rng-pci \
        -display none -serial "file:$run/console.log" \
        -monitor "unix:$run/monitor.sock,server,nowait" \
        -pidfile "$run/qemu.pid" -daemonize 2>"$run/qemu.err"; then
      break
    fi
    [ "$tries" = 3 ] && { cat "$run/qemu.err" >&2; exit 1; }
  done
  exec 9>&-
  # The host key is the one made with the image: pinned before the first connection.
  echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$image/host_key.pub")" >"$run/known_hosts"
  local deadline=$((SECONDS + ${BOOT_TIMEOUT:-300}))
  ssh_opts
  until ssh "${ssh_args[@]}" root@127.0.0.1 true 2>/dev/null; do
    alive || { echo "QEMU exited during boot; console:" >&2; tail -30 "$run/console.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "no ssh after ${BOOT_TIMEOUT:-300} s; console:" >&2; tail -30 "$run/console.log" >&2; exit 1; }
    sleep 1
  done
  # The master runs in the background, its stdio on /dev/null so that no caller's pipe is held open by it.
  ssh "${ssh_args[@]}" -o ControlMaster=yes -o ControlPersist=yes -N -f root@127.0.0.1 </dev/null >/dev/null 2>&1 ||
    echo "no ssh master connection; each command connects on its own" >&2
  echo "VM up in $((SECONDS - t0)) s: ssh 127.0.0.1:$SSH_PORT, pid $(cat "$run/qemu.pid")" >&2
}

stop() {
  [ -S "$run/ssh.ctl" ] && { ssh -o "ControlPath=$run/ssh.ctl" -O exit vm >/dev/null 2>&1 || true; }
  if alive; then
    local pid i
    pid=$(cat "$run/qemu.pid")
    # The guest's disk is thrown away: a clean shutdown buys nothing, so ask once, briefly, then kill.
    echo system_powerdown | timeout 3 socat - "UNIX-CONNECT:$run/monitor.sock" >/dev/null 2>&1 || true
    for i in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null
    for i in $(seq 1 10); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$run/qemu.pid" "$run/disk.qcow2" "$run/monitor.sock"
}

case "$cmd" in
start) start "${3:-}" ;;
ssh)
  . "$run/ports.env"
  shift 2
  ssh_opts
  # ssh joins its arguments into one line for the remote shell: quote each, so they arrive as argv.
  exec ssh "${ssh_args[@]}" root@127.0.0.1 "$(printf '%q ' "$@")" ;;
forward)
  . "$run/ports.env"
  ssh_opts
  # Its own connection (ssh takes the first value of an option): the tunnel lives and ends with this process.
  exec ssh -o ControlPath=none "${ssh_args[@]}" -o ExitOnForwardFailure=yes -N -L "127.0.0.1:${3:?LPORT missing}:127.0.0.1:${4:?PORT missing}" root@127.0.0.1 ;;
stop) stop ;;
*) sed -n 2,15p "$0"; exit 2 ;;
esac
