#!/bin/bash
# The arm64 release, proven on this x86-64 machine: installer/publish.sh builds the linux-arm64 tarball, and the
# binary in it runs under Debian's qemu-user (user-mode emulation) with the arm64 libraries from Debian's multiarch
# archive. Checks: the .sha256, an aarch64 ELF, `--version`, a dry-run install whose plan equals the x64 build's,
# and `serve`: /healthz, the sign-in page, the Blazor script and the printed setup URL answer.
#
# Run as root, no stdin: tests/arm64/run.sh
# env: CONTROLPANEL=/path/to/x64/controlpanel  the x64 build the dry-run plan is compared with (default: publish one)
#      KEEP_WORK=1                            keep the work folder
# Installs what it needs (apt): qemu-user, and libc6 libstdc++6 libicu72 libssl3 zlib1g for arm64
# (dpkg --add-architecture arm64). Ends with "N passed, N failed"; exits non-zero on any failure.
#
# Under qemu-user the runtime's W^X double mapping of JIT code crashes reflection's invoke stubs (EF Core's model
# build), so the emulated binary runs with DOTNET_EnableWriteXorExecute=0. That is this emulator's need, not the
# release's: a real aarch64 host runs the tarball as published.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/controlpanel-arm64.XXXXXX)
passed=0 failed=0 serve_pid=
VERSION=arm64-test

say() { echo "== $(date -u +%T) $*"; }
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1${2:+: $2}"; }
check() { # check NAME CMD...: one counted check; on failure the command's output is shown
  local name=$1; shift
  if "$@" >"$work/check.out" 2>&1; then pass "$name"; else fail "$name"; sed 's/^/    /' "$work/check.out" | tail -25; fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
abort() { fail "$1" "${2:-}"; finish; }
cleanup() {
  local code=$?
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
  if [ "${KEEP_WORK:-0}" = 1 ] || [ "$failed" -gt 0 ]; then echo "work folder kept: $work"; else rm -rf "$work"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { echo "run as root (it installs qemu-user and the arm64 libraries with apt)" >&2; exit 2; }

# --- qemu-user and the arm64 libraries ---------------------------------------------------------
ARM_LIBS=(libc6:arm64 libstdc++6:arm64 libicu72:arm64 libssl3:arm64 zlib1g:arm64)
missing=()
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
for p in "${ARM_LIBS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$work/apt.log" 2>&1 \
    || { tail -20 "$work/apt.log"; abort "install qemu-user and the arm64 libraries"; }
fi
check "qemu-user runs an arm64 program (the multiarch loader is there)" test -e /lib/ld-linux-aarch64.so.1

# --- the arm64 tarball -------------------------------------------------------------------------
t0=$SECONDS
say "installer/publish.sh --arch linux-arm64"
"$ROOT/installer/publish.sh" --arch linux-arm64 --no-composite --version "$VERSION" --out "$work/release" >"$work/publish.log" 2>&1 \
  || { tail -30 "$work/publish.log"; abort "installer/publish.sh --arch linux-arm64"; }
tarball=controlpanel-$VERSION-linux-arm64.tar.gz
say "published in $((SECONDS - t0)) s: $tarball ($(du -m "$work/release/$tarball" | cut -f1) MB)"
check "the tarball matches its .sha256" sh -c "cd '$work/release' && sha256sum -c '$tarball.sha256'"
mkdir -p "$work/arm64" && tar -C "$work/arm64" -xzf "$work/release/$tarball" || abort "unpack $tarball"
bin=$work/arm64/controlpanel/controlpanel
elf_machine() { od -An -t u2 -j 18 -N 2 "$1" | tr -d ' '; }
check "the binary is an aarch64 ELF (e_machine 183)" test "$(elf_machine "$bin")" = 183

arm() { DOTNET_EnableWriteXorExecute=0 qemu-aarch64 "$bin" "$@"; }
version=$(arm --version </dev/null 2>&1)
check "controlpanel --version says $VERSION ($version)" test "${version%%+*}" = "$VERSION"

# --- a dry-run install, the same plan as the x64 build's -----------------------------------------
# The plan's architecture is the host's (uname -m and dpkg, which qemu-user leaves to this machine's own
# binaries), so both builds plan the same amd64 downloads here: what is compared is the engine's behaviour.
if [ -n "${CONTROLPANEL:-}" ]; then
  x64=$CONTROLPANEL
else
  say "dotnet publish (x64, for the comparison)"
  dotnet publish "$ROOT/src/ControlPanel/ControlPanel.csproj" -c Release -o "$work/x64" -nologo -v q >"$work/x64.log" 2>&1 \
    || { tail -30 "$work/x64.log"; abort "publish the x64 build"; }
  x64=$work/x64/controlpanel
fi
printf 'faasd-admin-%s\n' "$RANDOM$RANDOM" >"$work/password" && chmod 600 "$work/password"
dry_run() { # NAME CMD...: the plan printed by a dry-run install, with what differs between two data folders taken out
  local name=$1; shift
  "$@" install --domain arm64.controlpanel.test --email admin@arm64.controlpanel.test --password-file "$work/password" \
    --dry-run --yes --data "$work/data-$name" </dev/null >"$work/dry-run-$name.raw" 2>&1
  echo $? >"$work/dry-run-$name.rc"
  sed -E "s|$work/data-$name|DATA|g; s/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+Z?/TIME/g; s/[0-9]+(\.[0-9]+)? ?m?s\b/DURATION/g" \
    "$work/dry-run-$name.raw" >"$work/dry-run-$name.txt"
}
t0=$SECONDS
dry_run arm64 arm
say "arm64 dry run in $((SECONDS - t0)) s"
dry_run x64 "$x64"
# On a machine without systemd (this one) both say WOULD FAIL at preflight and exit 1: the same answer is the point.
check "the arm64 dry-run install exits as the x64 one ($(cat "$work/dry-run-arm64.rc") and $(cat "$work/dry-run-x64.rc"))" \
  test "$(cat "$work/dry-run-arm64.rc")" = "$(cat "$work/dry-run-x64.rc")"
check "the dry run shows the stages' commands and files ($(grep -c . "$work/dry-run-arm64.txt") lines)" grep -q containerd "$work/dry-run-arm64.txt"
check "the arm64 build plans what the x64 build plans on this machine" diff -u "$work/dry-run-x64.txt" "$work/dry-run-arm64.txt"

# --- serve --------------------------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
say "serve on $url (emulated)"
t0=$(date +%s.%N)
( exec env DOTNET_EnableWriteXorExecute=0 qemu-aarch64 "$bin" serve --urls "$url" --data "$work/data-serve" </dev/null >"$work/serve.log" 2>&1 ) &
serve_pid=$!
up=
for _ in $(seq 900); do
  curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && { up=1; break; }
  kill -0 "$serve_pid" 2>/dev/null || break
  sleep 0.2
done
[ -n "$up" ] && say "/healthz answered $(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN{printf "%.1f", a-b}') s after the start"
check "/healthz answers" test -n "$up"
[ -n "$up" ] || { tail -30 "$work/serve.log"; finish; }
check "the sign-in page answers 200 with its form" sh -c "curl -fsS '$url/login' | grep -q '<form'"
check "the Blazor script is served (200, JavaScript)" sh -c "curl -sS -o /dev/null -w '%{http_code} %{content_type}' '$url/_framework/blazor.web.js' | grep -qx '200 text/javascript.*'"
setup=$(sed -n 's/^SETUP URL: //p' "$work/serve.log" | head -1)
check "the printed setup URL opens the setup page" sh -c "[ -n '$setup' ] && curl -fsS '$setup' | grep -q 'setup-submit'"
finish
