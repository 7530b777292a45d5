#!/usr/bin/env bash
# Puts the ControlPanel panel on a fresh Debian 11/12 or Ubuntu 20.04-24.04 host (amd64, arm64), as root.
#
#   install.sh [--tarball FILE | --url URL | --mirror BASE] [--version V] [--listen ADDR:PORT]
#              [--database postgres://USER[:PASSWORD]@HOST[:PORT]/NAME [--node NAME] [--data DIR]]
#              [-d|--domain D -m|--mail E [-t|--paneltype T] [-p|--passinit P] [--public [--public-port N]] [STACK OPTIONS]]
#   install.sh --uninstall
#
# --public (with -d): after the headless install, nginx also serves the panel on https://D:8443/ (--public-port)
# with the domain's certificate, WebSockets passed; the panel itself keeps listening on loopback only.
#
# STACK OPTIONS go to the headless install unchanged (see `controlpanel install --help`):
#   --download-mirror URL  --versions-file F  --profile P  --accept-eula  --confirm-hash SHA256
#   --acme-directory URL  --acme-directory-ca PEM  --eab-kid K  --eab-hmac-key H
#
# The release tarball comes from a local file, a URL, or a mirror base (BASE/controlpanel-V-linux-ARCH.tar.gz);
# its .sha256 beside it is always verified before anything is unpacked. The panel goes to
# /opt/controlpanel/releases/V with /opt/controlpanel/current pointing at it, data to /var/lib/controlpanel,
# a systemd unit runs `controlpanel serve` on 127.0.0.1:8800. Running it again upgrades in place and keeps the
# data. panel.sh's flags (-d -m -t -p) start a headless install of the stack right after (cloud-init).
# --uninstall removes the panel itself, not the stack it installed (that has `controlpanel uninstall`).
# --database: the panel keeps its state in that PostgreSQL database (migrated and recorded in DATA/database.conf,
# 0600, before the panel starts), so several hosts installed with the same --database and a shared --data (NFS or
# the like) serve one panel; --node names this one (default: its host name). README: "More than one node".
set -euo pipefail

PREFIX=/opt/controlpanel
DATA=/var/lib/controlpanel
UNIT=/etc/systemd/system/controlpanel.service
LISTEN=127.0.0.1:8800
TARBALL="" URL="" MIRROR="" VERSION="" UNINSTALL=0
DOMAIN="" MAIL="" PANELTYPE="" PASSINIT=""
STACK_ARGS=()  # options passed through to `controlpanel install`, which validates them
PUBLIC=0 PUBLIC_PORT=8443
DATABASE="" NODE=""

die() { echo "install.sh: $*" >&2; exit 2; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1: needs a value"; }

while [ $# -gt 0 ]; do
  case $1 in
    --tarball) need_value "$@"; TARBALL=$2; shift 2 ;;
    --url) need_value "$@"; URL=$2; shift 2 ;;
    --mirror) need_value "$@"; MIRROR=${2%/}; shift 2 ;;
    --version) need_value "$@"; VERSION=$2; shift 2 ;;
    --listen) need_value "$@"; LISTEN=$2; shift 2 ;;
    --database) need_value "$@"; DATABASE=$2; shift 2 ;;
    --node) need_value "$@"; NODE=$2; shift 2 ;;
    --data) need_value "$@"; DATA=$2; shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    -d|--domain) need_value "$@"; DOMAIN=$2; shift 2 ;;
    -m|--mail) need_value "$@"; MAIL=$2; shift 2 ;;
    -t|--paneltype) need_value "$@"; PANELTYPE=$2; shift 2 ;;
    -p|--passinit) need_value "$@"; PASSINIT=$2; shift 2 ;;
    --download-mirror|--versions-file|--profile|--confirm-hash|--acme-directory|--acme-directory-ca|--eab-kid|--eab-hmac-key)
      need_value "$@"; STACK_ARGS+=("$1" "$2"); shift 2 ;;
    --accept-eula) STACK_ARGS+=("$1"); shift ;;
    --public) PUBLIC=1; shift ;;
    --public-port) need_value "$@"; PUBLIC=1; PUBLIC_PORT=$2; shift 2 ;;
    -h|--help) sed -n 2,24p "$0"; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

[ "$(id -u)" = 0 ] || die "must run as root"
[[ $LISTEN =~ ^[0-9.]+:[0-9]{1,5}$|^\[[0-9a-fA-F:]+\]:[0-9]{1,5}$ ]] || die "--listen: \"$LISTEN\" is not ADDRESS:PORT"
[ -z "$VERSION" ] || [[ $VERSION =~ ^[A-Za-z0-9._-]+$ ]] || die "--version: \"$VERSION\" is not a version"
[ ${#STACK_ARGS[@]} -eq 0 ] || [ -n "$DOMAIN" ] || die "${STACK_ARGS[0]}: only applies to the headless install (give -d DOMAIN)"
[ -z "$NODE" ] || [[ $NODE =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ ]] || die "--node: \"$NODE\" must be 1 to 63 letters, digits, dots, dashes or underscores"
[[ $DATA =~ ^/[A-Za-z0-9._/-]+$ ]] || die "--data: \"$DATA\" is not an absolute path of letters, digits, dots, dashes and slashes"
[ "$PUBLIC" = 0 ] || [ -n "$DOMAIN" ] || die "--public: needs -d DOMAIN (the panel is published with the domain's certificate)"
[[ $PUBLIC_PORT =~ ^[0-9]{1,5}$ ]] || die "--public-port: \"$PUBLIC_PORT\" is not a port number"

if [ "$UNINSTALL" = 1 ]; then
  # A published panel: its nginx server goes first, or nginx would keep a port open onto nothing.
  if [ -x "$PREFIX/current/controlpanel" ] && [ -f /etc/nginx/conf.d/controlpanel.conf ] && grep -qs '"panel"' "$DATA/proxy/routes.json"; then
    "$PREFIX/current/controlpanel" proxy apply --data "$DATA" --panel-port 0
  fi
  systemctl disable --now controlpanel.service 2>/dev/null || true
  rm -f "$UNIT" /usr/local/bin/controlpanel
  systemctl daemon-reload
  rm -rf "$PREFIX"
  echo "the panel is removed; its data stays in $DATA (remove it by hand if you want it gone)"
  echo "the stack it installed, if any, is removed with: controlpanel uninstall (run it before this)"
  exit 0
fi

case $(uname -m) in
  x86_64) RID=linux-x64 ;;
  aarch64|arm64) RID=linux-arm64 ;;
  *) die "architecture $(uname -m) is not supported (amd64 and arm64 are)" ;;
esac
# In a subshell: os-release defines VERSION, which would replace ours.
case "$(. /etc/os-release && echo "$ID:$VERSION_ID")" in
  debian:11|debian:12|ubuntu:20.04|ubuntu:22.04|ubuntu:24.04) ;;
  *) echo "install.sh: warning: $(. /etc/os-release && echo "$PRETTY_NAME") is not a tested system (Debian 11/12, Ubuntu 20.04-24.04)" >&2 ;;
esac

fetch() {  # fetch URL FILE: curl, failing on HTTP errors, resuming a partial file
  curl -fL --retry 3 --retry-delay 2 -C - -o "$2" "$1" || { rm -f "$2"; die "download of $1 failed"; }
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$TARBALL" ]; then
  if [ -z "$URL" ]; then
    [ -n "$MIRROR" ] || die "give --tarball FILE, --url URL or --mirror BASE"
    [ -n "$VERSION" ] || { fetch "$MIRROR/LATEST" "$work/LATEST"; VERSION=$(tr -d ' \n' < "$work/LATEST"); }
    URL=$MIRROR/controlpanel-$VERSION-$RID.tar.gz
  fi
  command -v curl >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl ca-certificates; }
  TARBALL=$work/$(basename "$URL")
  fetch "$URL" "$TARBALL"
  fetch "$URL.sha256" "$TARBALL.sha256"
fi
[ -f "$TARBALL" ] || die "--tarball: \"$TARBALL\" does not exist"
[ -f "$TARBALL.sha256" ] || die "$TARBALL.sha256 is missing: nothing unverified is installed"
expected=$(cut -d' ' -f1 < "$TARBALL.sha256")
actual=$(sha256sum "$TARBALL" | cut -d' ' -f1)
[ "$expected" = "$actual" ] || die "checksum mismatch for $TARBALL: expected $expected, got $actual"
echo "verified $(basename "$TARBALL") sha256 $actual"

mkdir -p "$work/unpack"
tar -C "$work/unpack" -xzf "$TARBALL"
[ -x "$work/unpack/controlpanel/controlpanel" ] || die "$TARBALL holds no controlpanel/controlpanel"
release=$(cat "$work/unpack/controlpanel/VERSION" 2>/dev/null || echo "$actual" | cut -c1-12)
[[ $release =~ ^[A-Za-z0-9._-]+$ ]] || die "the tarball's VERSION file is not a version"

# ICU for the Chinese interface; the self-contained binary brings everything else.
# The package is named by ICU's version, which differs per release (libicu67 ... libicu74).
install_icu() {
  local icu
  icu=$(apt-cache search --names-only '^libicu[0-9]+$' | cut -d' ' -f1 | sort -V | tail -1)
  [ -n "$icu" ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$icu"
}
if ! ldconfig -p | grep -q libicuuc; then
  # The package lists the host has first; `apt-get update` only when they lack it or are stale.
  install_icu 2>/dev/null || { apt-get update -q && install_icu; } || die "could not install libicu from the apt sources"
fi

install -d -m 0755 "$PREFIX/releases"
rm -rf "$PREFIX/releases/$release.new"
mv "$work/unpack/controlpanel" "$PREFIX/releases/$release.new"
rm -rf "$PREFIX/releases/$release"
mv "$PREFIX/releases/$release.new" "$PREFIX/releases/$release"
ln -sfn "releases/$release" "$PREFIX/current.new" && mv -T "$PREFIX/current.new" "$PREFIX/current"
ln -sfn "$PREFIX/current/controlpanel" /usr/local/bin/controlpanel
install -d -m 0700 "$DATA"
# The database URL may hold a password: it goes to the engine (which validates it, migrates the database and records
# it 0600) and never into the unit file, which anyone may read.
[ -z "$DATABASE" ] || "$PREFIX/current/controlpanel" database use "$DATABASE" --data "$DATA"
SERVE_ARGS="serve --data $DATA --urls http://$LISTEN${NODE:+ --node $NODE}"

# The panel installs packages, writes /etc, manages units, links and iptables: it needs root and the real
# filesystem. The hardening below takes away what it never needs. UMask 0022 as usual: what nginx and the stack
# read keeps readable modes; the engine gives its secrets explicit modes (0600).
cat > "$UNIT.new" <<UNITEOF
[Unit]
Description=ControlPanel (installer panel)
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=$PREFIX/current/controlpanel $SERVE_ARGS
Restart=on-failure
RestartSec=3
UMask=0022
LimitNOFILE=65536
NoNewPrivileges=no
PrivateTmp=yes
ProtectClock=yes
ProtectKernelModules=no
ProtectKernelLogs=yes
ProtectControlGroups=no
RestrictRealtime=yes
LockPersonality=yes
SystemCallArchitectures=native
Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1

[Install]
WantedBy=multi-user.target
UNITEOF
chmod 0644 "$UNIT.new"
mv "$UNIT.new" "$UNIT"
systemctl daemon-reload
systemctl enable controlpanel.service >/dev/null
systemctl restart controlpanel.service

port=${LISTEN##*:}
# A small or emulated host takes a while for the first start (database migrations, JIT).
deadline=$((SECONDS + 600))
until curl -fsS --max-time 10 "http://$LISTEN/healthz" >/dev/null 2>&1 || [ $SECONDS -ge $deadline ]; do sleep 1; done
curl -fsS --max-time 10 "http://$LISTEN/healthz" >/dev/null || { journalctl -u controlpanel -n 50 --no-pager >&2; die "the panel did not answer on http://$LISTEN/healthz"; }
echo "ControlPanel $release is running on http://$LISTEN (systemd unit controlpanel.service, data in $DATA)"
if [ -f "$DATA/setup-token" ]; then
  echo "first start: set the admin password at http://$LISTEN/setup?token=$(cat "$DATA/setup-token")"
fi
echo "from your computer: ssh -L $port:$LISTEN root@THIS_HOST, then open http://127.0.0.1:$port"

if [ -n "$DOMAIN" ]; then
  args=(install --domain "$DOMAIN" --yes --data "$DATA")
  [ -n "$MAIL" ] && args+=(--email "$MAIL")
  [ -n "$PANELTYPE" ] && args+=(--panel-type "$PANELTYPE")
  args+=("${STACK_ARGS[@]}")
  if [ -n "$PASSINIT" ]; then
    # Only this file is private: the install itself runs under the ordinary umask (nginx reads what it writes).
    (umask 077 && printf '%s' "$PASSINIT" > "$work/password")
    args+=(--password-file "$work/password")
  fi
  echo "starting the headless install of the stack for $DOMAIN"
  "$PREFIX/current/controlpanel" "${args[@]}"
  if [ "$PUBLIC" = 1 ]; then
    "$PREFIX/current/controlpanel" proxy apply --data "$DATA" --panel-port "$PUBLIC_PORT" --panel-upstream "http://$LISTEN"
    echo "the panel is public at https://$DOMAIN:$PUBLIC_PORT/ (open port $PUBLIC_PORT/tcp in your cloud firewall)"
    if [ -f "$DATA/setup-token" ]; then
      echo "first start: or set the admin password at https://$DOMAIN:$PUBLIC_PORT/setup?token=$(cat "$DATA/setup-token")"
    fi
  fi
fi
