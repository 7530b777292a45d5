#!/bin/bash
# System test: the install stages and the clean uninstall, driven by the real `controlpanel` CLI over
# SSH against a disposable Debian 12 VM (QEMU, TCG). Run as root, no stdin:
#
#   tests/system/run.sh
#
# env: CONTROLPANEL=/path/to/controlpanel  use this binary instead of publishing one
#      CONTROLPANEL_TESTVM_CACHE           base image and package cache (/var/cache/controlpanel-testvm)
#      KEEP_WORK=1                         keep the work folder (logs, data dir) after the run
#
# Steps: host tools -> publish controlpanel -> fixture artifacts on a loopback mirror -> release tarballs (an older
# release and this tree) -> base image -> boot VM, pin its host key -> installer/install.sh puts the older release on
# the VM and its headless install puts the stack on; verify; upgrade to this tree; that panel installs again (all
# Skipped, nothing changed) and uninstalls the stack; the panel is removed; zero leftovers (parts/installer.sh) ->
# install handed to a panel on the host (`install --detach`, over SSH), the panel SIGKILLed during the
# containerd stage and started again -> it resumes the run by itself -> verify -> install again over SSH (all Skipped)
# -> uninstall, zero leftovers. Phase "install" instead of "installer": install, again, uninstall over SSH. Prints
# wall times (benchmark figures)
# and ends with "N passed, N failed"; exits non-zero on any failure.
#
# Extension: each tests/system/parts/*.sh is sourced before the VM boots. A part may append to
# INSTALL_ARGS and register functions in PREPARE_HOOKS (before the VM boots), SETUP_HOOKS, VERIFY_HOOKS,
# LEFTOVER_HOOKS, CLEANUP_HOOKS (they use check, vm, $work, $DOMAIN, $HTTP_PORT, $HTTPS_PORT), and add a
# phase of its own to EXTRA_PHASES: function phase_NAME runs after the built-in phases, on the clean VM.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export CONTROLPANEL_TESTVM_CACHE=${CONTROLPANEL_TESTVM_CACHE:-/var/cache/controlpanel-testvm}
cache=$CONTROLPANEL_TESTVM_CACHE
KILL_STAGE=${KILL_STAGE:-containerd}
DOMAIN=${DOMAIN:-vm.controlpanel.test}
work=$(mktemp -d /tmp/controlpanel-systest.XXXXXX)
data=$work/data
INSTALL_ARGS=() PREPARE_HOOKS=() SETUP_HOOKS=() VERIFY_HOOKS=() LEFTOVER_HOOKS=() CLEANUP_HOOKS=() EXTRA_PHASES=()
passed=0 failed=0 mirror_pid= t_start=$SECONDS
declare -A bench=()
# Figures printed at the end, in this order; parts add their own.
BENCH_KEYS=("install (first)" "install (second, idempotent)" "uninstall (first)" "install (killed)" "panel restart to the stage running again" "rerun (resume)"
  "install over SSH again after the resume (idempotent)" "uninstall (second)")

say() { echo "== $(date +%T) $*"; }
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
# check NAME CMD...: one counted check; on failure the command's output is shown.
check() {
  local name=$1; shift
  if "$@" >"$work/check.out" 2>&1; then pass "$name"; else fail "$name"; sed 's/^/    /' "$work/check.out" | tail -25; fi
}
vm() { "$here/vm/vm.sh" ssh "$work/vm" "$@"; }
vm_says() { local want=$1 got; shift; got=$(vm "$@"); [ "$got" = "$want" ] || { echo "expected '$want', got '$got'"; return 1; }; }
cp_() { "$controlpanel" "$@" --data "$data" </dev/null; }
now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# PHASES (default: all, in this order) lets a developer rerun a part on a fresh VM; CI runs all.
# Phase "installer": the panel that installer/install.sh puts on the VM installs the stack, installs it again and
# uninstalls it. Phase "install" does the same three driven over SSH by the host's CLI instead (quicker while
# developing; the kill phase drives an install over SSH too). Given both, "installer" runs.
phase() { [[ " ${PHASES:-installer kill ${EXTRA_PHASES[*]}} " == *" $1 "* ]]; }
elapsed() { awk -v a="$(now)" -v b="$1" 'BEGIN{printf "%.1f", a-b}'; }

cleanup() {
  local code=$?
  for h in "${CLEANUP_HOOKS[@]}"; do "$h" || true; done
  if [ "$failed" -gt 0 ] && [ -f "$work/vm/console.log" ]; then
    say "VM console (last 40 lines of $work/vm/console.log)"; tail -40 "$work/vm/console.log"
  fi
  [ -d "$work/vm" ] && "$here/vm/vm.sh" stop "$work/vm" >/dev/null 2>&1
  [ -n "$mirror_pid" ] && kill "$mirror_pid" 2>/dev/null
  if [ "${KEEP_WORK:-0}" = 1 ] || [ "$failed" -gt 0 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
  echo
  say "benchmark (wall time, QEMU TCG)"
  for k in "${BENCH_KEYS[@]}" total; do
    [ -n "${bench[$k]:-}" ] && printf '  %-30s %8s s\n' "$k" "${bench[$k]}"
  done
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
abort() { fail "$1" "${2:-}"; finish; }

# --- host tools ----------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || { echo "run as root (it boots a VM and caches images under $cache)" >&2; exit 2; }
need=()
for t in qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils debootstrap:debootstrap mkfs.ext4:e2fsprogs \
         ssh:openssh-client socat:socat curl:curl jq:jq flock:util-linux ss:iproute2; do
  command -v "${t%%:*}" >/dev/null || need+=("${t#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
    || abort "host packages" "could not install ${need[*]}"
fi

for part in "$here"/parts/*.sh; do [ -f "$part" ] && . "$part"; done

# --- controlpanel ----------------------------------------------------------------------------
t0=$(now)
if [ -n "${CONTROLPANEL:-}" ]; then
  controlpanel=$CONTROLPANEL
else
  say "dotnet publish controlpanel"
  dotnet publish "$repo/src/ControlPanel/ControlPanel.csproj" -c Release -o "$work/publish" -nologo -v q >"$work/publish.log" 2>&1 \
    || { tail -30 "$work/publish.log"; abort "publish controlpanel"; }
  controlpanel=$work/publish/controlpanel
fi
[ -x "$controlpanel" ] || abort "controlpanel binary" "$controlpanel is not executable"
say "controlpanel ready ($(elapsed "$t0") s)"

# --- fixtures and the loopback mirror ---------------------------------------------------------
t0=$(now)
debroot=$("$here/fixtures/debian-binaries.sh" "$cache") || abort "Debian binaries for the fixtures"
# Built once per fixture recipe and Debian package set.
fixtures=$cache/fixtures/$( { find "$here/fixtures" -type f -print0 | sort -z | xargs -0 cat; echo "$debroot"; } | sha256sum | cut -c1-16)
if [ ! -f "$fixtures/.ready" ]; then
  rm -rf "$fixtures" "$fixtures.building" && mkdir -p "$cache/fixtures"
  "$here/fixtures/build-artifacts.sh" "$fixtures.building" "$debroot" 2>"$work/fixtures.log" || { cat "$work/fixtures.log"; abort "build fixture artifacts"; }
  touch "$fixtures.building/.ready"
  mv "$fixtures.building" "$fixtures"
  find "$cache/fixtures" -mindepth 1 -maxdepth 1 -type d ! -path "$fixtures" -exec rm -rf {} +
fi
mirror_port=$(free_port)
"$debroot/bin/busybox" httpd -f -p "127.0.0.1:$mirror_port" -h "$fixtures/mirror" &
mirror_pid=$!
mirror=http://127.0.0.1:$mirror_port/
for _ in $(seq 50); do curl -fsS -o /dev/null "${mirror}faasd/0.9.5/resolv.conf" 2>/dev/null && break; sleep 0.1; done
check "mirror serves the fixture artifacts on loopback" curl -fsS -o /dev/null "${mirror}docker/containerd/v1.4.0/containerd-1.4.0-linux-amd64.tar.gz"
say "fixtures ready ($(elapsed "$t0") s)"
for h in "${PREPARE_HOOKS[@]}"; do "$h"; done

# --- VM ---------------------------------------------------------------------------------------
t0=$(now)
image=$("$here/vm/make-base-image.sh") || abort "base image"
bench["base image"]=$(elapsed "$t0")
say "base image ready ($(elapsed "$t0") s): $image"
t0=$(now)
"$here/vm/vm.sh" start "$work/vm" "$image" || abort "boot VM"
. "$work/vm/ports.env"
say "VM booted ($(elapsed "$t0") s); ssh 127.0.0.1:$SSH_PORT, guest :80 at 127.0.0.1:$HTTP_PORT, :443 at 127.0.0.1:$HTTPS_PORT"
# The engine trusts exactly the VM's pinned host key and logs in with the image's key.
install -d -m 700 "$data/ssh"
install -m 600 "$work/vm/id_ed25519" "$data/ssh/id_ed25519"
install -m 644 "$work/vm/known_hosts" "$data/ssh/known_hosts"
target=ssh://root@127.0.0.1:$SSH_PORT
check "VM runs systemd to a running state" vm systemctl is-system-running --wait
vm sh -s <"$here/lib/vmstate.sh" >"$work/state.before" || abort "snapshot of the fresh VM"
for h in "${SETUP_HOOKS[@]}"; do "$h"; done

head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/password"
chmod 600 "$work/password"
install_args=(install --host "$target" --domain "$DOMAIN" --email "admin@$DOMAIN" --password-file "$work/password"
  --download-mirror "$mirror" --versions-file "$fixtures/versions.fixture.json" --yes "${INSTALL_ARGS[@]}")

# --- helpers over the engine's own record -----------------------------------------------------
# The record lives with the engine that ran the plan: the host's CLI (cp_) or, in phase installer, the panel installed
# in the VM (CLI=inst_cli, set by that phase for the helpers it calls).
latest_run() { "${CLI:-cp_}" runs --json | jq -c "map(select(.kind == \"$1\"))[0]"; }
run_state() { jq -r '.state' <<<"$1"; }
stage_states() { jq -r '.stages[] | "\(.name)=\(.state)"' <<<"$1" | tr '\n' ' '; }
expect_run() { # NAME KIND STATE: the newest run of KIND ended in STATE
  local run; run=$(latest_run "$2")
  [ "$(run_state "$run")" = "$3" ] && pass "$1" || fail "$1" "run $(jq -r .id <<<"$run") is $(run_state "$run") ($(jq -r '.error // ""' <<<"$run")); stages: $(stage_states "$run")"
}
timed() { # KEY LOGFILE CMD...: run, record wall time
  local key=$1 log=$work/$2.log t code; shift 2
  t=$(now)
  "$@" >"$log" 2>&1; code=$?
  bench["$key"]=$(elapsed "$t")
  say "$key: exit $code in ${bench[$key]} s (log $log)"
  # Each stage's own time, from the CLI's stage lines ("[3/10] deps Skipped (0.4 s) — ..."): where the run's time went.
  grep -E '\[[0-9]+/[0-9]+\] +[a-z0-9-]+ +[A-Za-z]+( attempt [0-9]+)? \([0-9.]+ s\)' "$log" | sed -E 's/ — .*//; s/^/     /' || true
  [ $code -eq 0 ] || tail -30 "$log"
  return $code
}

verify_installed() { # what the user gets: services up, gateway answering with their password
  local tag=$1 pw; pw=$(cat "$work/password")
  check "$tag: containerd, faasd-provider, faasd units active" vm systemctl is-active containerd faasd-provider faasd
  check "$tag: containerd answers (ctr version)" vm /usr/local/bin/ctr version
  check "$tag: gateway answers /healthz on :8080 inside the VM" vm_says OK curl -fsS --max-time 10 http://127.0.0.1:8080/healthz
  check "$tag: gateway refuses /system/info without the password" vm_says 401 curl -s -o /dev/null -w '%{http_code}' --max-time 10 http://127.0.0.1:8080/system/info
  check "$tag: gateway accepts the password given to the install" vm curl -fsS --max-time 10 -u "admin:$pw" http://127.0.0.1:8080/system/info
  check "$tag: provider answers on :8081" vm curl -fsS --max-time 10 http://127.0.0.1:8081/healthz
  check "$tag: the gateway container runs under a real runc shim" vm sh -c '/usr/local/bin/ctr -n default tasks ls | grep -E "^gateway +[0-9]+ +RUNNING" && pgrep -af "[c]ontainerd-shim-runc-v2"'
  check "$tag: openfaas0 bridge is up with 10.62.0.1/16" vm sh -c 'ip -o addr show dev openfaas0 | grep -F 10.62.0.1/16'
  check "$tag: IPv4 forwarding is on" vm_says 1 sysctl -n net.ipv4.conf.all.forwarding
  # The VM's 8080 is forwarded to the host: a connection from there arrives from outside (eth0).
  check "$tag: firewall: the gateway answers inside but not from outside the VM" sh -c "! curl -fsS --max-time 15 http://127.0.0.1:$GATEWAY_PORT/healthz"
  for h in "${VERIFY_HOOKS[@]}"; do "$h" "$tag"; done
}

verify_no_leftovers() { # the plan's own report, then the test's independent look inside the VM
  local tag=$1 run; run=$(latest_run uninstall)
  check "$tag: no containerd-shim processes" vm sh -c '! pgrep -af "[c]ontainerd-shim"'
  check "$tag: no containerd or faasd processes" vm sh -c '! pgrep -ax containerd && ! pgrep -ax faasd && ! pgrep -ax ctr && ! pgrep -af "/usr/local/bin/[f]aasd"'
  check "$tag: no openfaas0 link" vm sh -c '! ip link show openfaas0'
  check "$tag: no /run/containerd" vm test ! -e /run/containerd
  check "$tag: no mounts left by containerd" vm sh -c '! grep -E "containerd|/run/netns|overlay" /proc/self/mountinfo'
  check "$tag: no CNI iptables chains or rules" vm sh -c '! command -v iptables-save || ! iptables-save | grep -E "CNI-|openfaas"'
  check "$tag: no /etc/cni/net.d/10-openfaas.conflist" vm test ! -e /etc/cni/net.d/10-openfaas.conflist
  check "$tag: no CNI IPAM state" vm sh -c '! ls -d /var/lib/cni/networks/openfaas-cni-bridge /var/run/cni/openfaas-cni-bridge 2>/dev/null | grep .'
  check "$tag: units gone" vm sh -c '! systemctl list-unit-files --no-legend "faasd*" "containerd*" | grep .'
  check "$tag: nothing listens on 8080/8081" vm sh -c '! ss -Hltn "( sport = :8080 or sport = :8081 )" | grep .'
  vm sh -s <"$here/lib/vmstate.sh" >"$work/state.$tag"
  # What the deps stage's apt packages bring (nginx and its unit) is expected to stay.
  diff "$work/state.before" "$work/state.$tag" | grep -E '^[<>]' | grep -vE 'nginx|/etc/systemd/system/multi-user.target.wants$' >"$work/diff.$tag"
  check "$tag: VM state equals the fresh VM's (diff of links, mounts, listeners, processes, chains, units, stack paths)" sh -c "! grep . '$work/diff.$tag'"
  local report; report=$(jq -r '.stages[] | select(.name | test("leftover"; "i")) | "\(.name)=\(.state)"' <<<"$run")
  if [ -n "$report" ]; then
    check "$tag: the plan's leftover report passed ($report)" sh -c "echo '$report' | grep -qE '=(Succeeded|Skipped)$' && ! echo '$report' | grep -vqE '=(Succeeded|Skipped)$'"
  else
    fail "$tag: the uninstall plan has a leftover-report stage" "stages: $(stage_states "$run")"
  fi
  for h in "${LEFTOVER_HOOKS[@]}"; do "$h" "$tag"; done
}

verify_second_install() { # TAG CMD...: the same install again: every stage Skipped, nothing on the VM changed
  local tag=$1 run not_skipped; shift
  vm sh -s fingerprint <"$here/lib/vmstate.sh" >"$work/fingerprint.1"
  say "$tag"
  timed "$tag" "$(tr -c 'a-z0-9\n' - <<<"$tag")" "$@"
  expect_run "$tag: succeeded" install Succeeded
  run=$(latest_run install)
  not_skipped=$(jq -r '[.stages[] | select(.state != "Skipped") | "\(.name)=\(.state)"] | join(" ")' <<<"$run")
  check "$tag: every stage Skipped" test -z "$not_skipped"
  [ -n "$not_skipped" ] && echo "    not skipped: $not_skipped"
  vm sh -s fingerprint <"$here/lib/vmstate.sh" >"$work/fingerprint.2"
  check "$tag: changed nothing (stack files, unit PIDs and start times, tasks)" diff "$work/fingerprint.1" "$work/fingerprint.2"
}

if phase installer; then
# --- 1-3. install, install again, uninstall: by the panel that installer/install.sh puts on the VM (parts/installer.sh) --
phase_installer
elif phase install; then
# --- 1. install over SSH ------------------------------------------------------------------------
say "install (first)"
timed "install (first)" install-1 cp_ "${install_args[@]}"
expect_run "first install succeeded" install Succeeded
verify_installed "after install"

# --- 2. install again: every stage Skipped, nothing changed -------------------------------------
verify_second_install "install (second, idempotent)" cp_ "${install_args[@]}"

# --- 3. uninstall, zero leftovers ---------------------------------------------------------------
say "uninstall (first)"
timed "uninstall (first)" uninstall-1 cp_ uninstall --host "$target" --yes
expect_run "first uninstall succeeded" uninstall Succeeded
verify_no_leftovers "after first uninstall"
fi

if phase kill; then
# --- 4. install handed to the panel, SIGKILL the panel during the containerd stage, restart it ---
# The panel (`serve`) executes the run as a Hangfire job; killed mid-stage and started again, it resumes the run
# from that stage by itself, without waiting for the job system's invisibility timeout (30 min).
say "install handed to the panel, the panel killed during the $KILL_STAGE stage"
panel_port=$(free_port)
start_panel() { # exec: $! must be the panel itself, not a subshell around it
  ( exec "$controlpanel" serve --urls "http://127.0.0.1:$panel_port" --data "$data" </dev/null >>"$work/panel.log" 2>&1 ) &
  panel=$!
  for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$panel_port/healthz" 2>/dev/null && return 0; sleep 0.2; done
  return 1
}
stop_panel() { [ -n "${panel:-}" ] && kill "$panel" 2>/dev/null && wait "$panel" 2>/dev/null; panel=; }
CLEANUP_HOOKS+=(stop_panel)
stage_of() { jq -r --arg s "$KILL_STAGE" ".stages[]? | select(.name == \$s) | .$2" <<<"$1"; }
t0=$(now)
start_panel || abort "the panel answers /healthz" "$(tail -20 "$work/panel.log")"
"$controlpanel" "${install_args[@]}" --detach --data "$data" </dev/null >"$work/install-detached.log" 2>&1
check "install --detach hands the run to the panel and returns" grep -q 'handed to the panel' "$work/install-detached.log"
killed=
for _ in $(seq 6000); do
  run=$(latest_run install 2>/dev/null) || run=
  if [ -n "$run" ] && [ "$(stage_of "$run" state)" = Running ]; then
    kill -KILL "$panel"; wait "$panel" 2>/dev/null; panel=; killed=$(jq -r .id <<<"$run"); break
  fi
  [ -n "$run" ] && [ "$(run_state "$run")" != Queued ] && [ "$(run_state "$run")" != Running ] && break
  sleep 0.2
done
bench["install (killed)"]=$(elapsed "$t0")
if [ -z "$killed" ]; then
  fail "the panel was killed while the $KILL_STAGE stage ran" "the install ended first: $(stage_states "$(latest_run install)")"
else
  pass "the panel was killed (SIGKILL) while the $KILL_STAGE stage of run $killed ran"
  say "panel restarted"
  t0=$(now)
  start_panel || fail "the restarted panel answers /healthz" "$(tail -20 "$work/panel.log")"
  resumed=
  for _ in $(seq 1500); do
    run=$(cp_ runs --json | jq -c "map(select(.id == $killed))[0]")
    if [ "$(stage_of "$run" attempts)" = 2 ]; then
      # From the restart to the moment the engine recorded the stage running again (not to when this loop saw it).
      resumed=$(python3 -c 'import sys, datetime as d; s = d.datetime.fromisoformat(sys.argv[1][:26]).replace(tzinfo=d.timezone.utc); print(f"{s.timestamp() - float(sys.argv[2]):.1f}")' \
        "$(stage_of "$run" startedAt)" "$t0")
      break
    fi
    sleep 0.2
  done
  bench["panel restart to the stage running again"]=${resumed:-none}
  check "the restarted panel resumed run $killed at $KILL_STAGE within 10 s (${resumed:-never} s)" awk -v t="${resumed:-999}" 'BEGIN{exit !(t <= 10)}'
  for _ in $(seq 9000); do
    run=$(cp_ runs --json | jq -c "map(select(.id == $killed))[0]")
    [ "$(run_state "$run")" != Queued ] && [ "$(run_state "$run")" != Running ] && break
    sleep 0.2
  done
  bench["rerun (resume)"]=$(elapsed "$t0")
  check "resumed run $killed succeeded" test "$(run_state "$run")" = Succeeded
  # Attempts per stage: the ones before the killed stage ran once; the killed one twice (killed, resumed).
  attempts=$(jq -r --arg s "$KILL_STAGE" '[.stages[] | .name as $n | .attempts] as $a | .stages | map(.name) | index($s) as $i
    | [$a[:$i][] | select(. != 1)] | length | tostring + " " + ($a[$i] | tostring)' <<<"$run")
  check "the resume did not redo the stages before $KILL_STAGE and redid $KILL_STAGE (attempts: $(jq -r '[.stages[] | "\(.name)=\(.attempts)"] | join(" ")' <<<"$run"))" test "$attempts" = "0 2"
  verify_installed "after resume"
  # The resumed run leaves a host that a second install over SSH finds complete.
  verify_second_install "install over SSH again after the resume (idempotent)" cp_ "${install_args[@]}"
fi
stop_panel

# --- 5. uninstall again, zero leftovers ---------------------------------------------------------
say "uninstall (second)"
timed "uninstall (second)" uninstall-2 cp_ uninstall --host "$target" --yes
expect_run "second uninstall succeeded" uninstall Succeeded
verify_no_leftovers "after second uninstall"
fi

# --- 6. the parts' own phases, on the VM clean again ---------------------------------------------
for p in "${EXTRA_PHASES[@]}"; do phase "$p" && "phase_$p"; done

bench[total]=$((SECONDS - t_start))
finish
