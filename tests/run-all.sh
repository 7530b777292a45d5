#!/usr/bin/env bash
# Installs the test prerequisites (apt) when missing, builds, and runs every test suite:
# engine and app tests (xunit), browser tests (Playwright + Debian chromium), the VM system test and the
# container image test (buildah + podman), the arm64 release under qemu-user.
# Ends with one plain line "N passed, N failed" summed from the real results.
# Usage (as root on Debian 12): tests/run-all.sh [--no-system]   (--no-system: without the VM and container suites)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/tests/artifacts/results
SYSTEM=1
for a in "$@"; do
  case $a in
    --no-system) SYSTEM=0 ;;
    *) echo "unknown option: $a" >&2; exit 2 ;;
  esac
done

# Each phase's wall time, printed at the end (CI's budget is 60 minutes on 2 cores; this shows where it goes).
phase_times=(); phase_name=""; phase_start=$SECONDS
phase() {  # phase NAME: ends the phase before (if any) and starts NAME ("" ends the last)
  [ -n "$phase_name" ] && phase_times+=("$phase_name:$((SECONDS - phase_start))")
  phase_name=$1; phase_start=$SECONDS
}
phase prerequisites

# Real peers the tests use: nginx, pebble, certbot, chromium, qemu + debootstrap for the VM, the CNI/containerd/runc
# binaries the fixtures are built from, iproute2/iptables/bridge-utils for network namespaces, docker-registry,
# openssh-server (a throw-away sshd on loopback for the host key pinning and fleet tests), postgresql (a throw-away
# cluster on loopback for the PostgreSQL store and the several-node tests).
PACKAGES=(nginx pebble certbot chromium qemu-system-x86 qemu-utils debootstrap e2fsprogs openssh-client
  containernetworking-plugins containerd runc iptables iproute2 bridge-utils docker-registry busybox-static
  curl ca-certificates openssl patch socat util-linux procps python3 jq buildah podman fonts-wqy-microhei
  openssh-server postgresql)
missing=()
for p in "${PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing test prerequisites: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || exit 1
  # Debian starts these services on install; the tests run their own instances in private prefixes.
  for s in nginx containerd docker-registry postgresql; do systemctl disable --now "$s" >/dev/null 2>&1 || true; done
  # An sshd we just installed must not stay open on port 22; one that was there before is the admin's, left alone.
  if [[ " ${missing[*]} " == *" openssh-server "* ]]; then systemctl disable --now ssh >/dev/null 2>&1 || true; fi
fi
command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is required to build; see README" >&2; exit 1; }

phase build
echo "== build"
dotnet build ControlPanel.sln -c Debug -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

rm -rf "$RESULTS"; mkdir -p "$RESULTS"
passed=0; failed=0; skipped=0
for project in tests/ControlPanel.Engine.Tests tests/ControlPanel.Tests; do
  name=$(basename "$project")
  phase "$name"
  echo "== $name"
  dotnet test "$project" -c Debug --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
    --logger "console;verbosity=normal" 2>&1 | grep -E "^\s+(Passed|Failed|Skipped) |Error Message|Assert|^\s+at .*Tests" | grep -v "^\s*at .*xunit" | head -400
  trx="$RESULTS/$name.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters"); p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
    f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - p - f))
    echo "   $name: $p passed, $f failed, $((t - p - f)) not run"
  else
    echo "   $name: no results (the test run crashed)"; failed=$((failed + 1))
  fi
done

# Benchmarks in their short mode (tests/ControlPanel.Benchmarks): one check each, that it ran to its table and its
# closing line; their figures mean little here.
short_benchmark() {  # short_benchmark NAME CLOSING_LINE_REGEX
  phase "$1"
  echo "== $1 benchmark (--short)"
  tests/ControlPanel.Benchmarks/bin/Debug/net10.0/linux-x64/ControlPanel.Benchmarks "$1" --short >"$RESULTS/$1.log" 2>&1
  local code=$?
  grep -E "^(\||$1:|machine:|builds:)" "$RESULTS/$1.log"
  if [ $code -eq 0 ] && grep -qE "$2" "$RESULTS/$1.log"; then
    passed=$((passed + 1)); echo "   $1: the table was printed"
  else
    failed=$((failed + 1)); echo "   $1: no table (exit $code)"; tail -30 "$RESULTS/$1.log"
  fi
}
# Issue 17's table: it still builds the release binary and the bare reference app, measures both and prints the table.
short_benchmark figures '^figures: [0-9]+ of [0-9]+ targets met'
# Issue 19's hosts per minute: 20 FIXTURE hosts handed to one panel node on SQLite, then to one and two on a throw-away
# PostgreSQL; every host must succeed.
short_benchmark nodes '^nodes: every host succeeded'

# Script suites print their own "N passed, N failed" line: the VM system test and the container image test.
script_suite() {  # script_suite NAME SCRIPT
  phase "$1"
  echo "== $1 ($2)"
  "$2" 2>&1 | tee "$RESULTS/$1.log"
  local line
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$RESULTS/$1.log" | tail -1)
  if [ -n "$line" ]; then
    passed=$((passed + $(cut -d' ' -f1 <<<"$line"))); failed=$((failed + $(cut -d' ' -f3 <<<"$line")))
  else
    echo "   $1 printed no result line"; failed=$((failed + 1))
  fi
}
if [ "$SYSTEM" = 1 ]; then
  # The system test drives the binary built above (self-contained) instead of publishing its own.
  export CONTROLPANEL=$ROOT/src/ControlPanel/bin/Debug/net10.0/linux-x64/controlpanel
  # The first install is the installer's: install.sh puts an older release of the panel on the fresh VM, that panel's
  # headless install puts the stack on, it is upgraded to this tree and removed; the other phases go on from there.
  PHASES=${PHASES:-installer kill edge} script_suite system tests/system/run.sh
  script_suite container tests/container/build-image.sh
  # The arm64 release tarball under qemu-user (its own apt packages); compared with the x64 build above.
  script_suite arm64 tests/arm64/run.sh
fi

phase ""
echo "== phase times"
for p in "${phase_times[@]}"; do printf '   %-28s %5d s\n' "${p%:*}" "${p##*:}"; done
printf '   %-28s %5d s\n' total "$SECONDS"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
