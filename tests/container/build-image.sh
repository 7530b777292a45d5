#!/bin/bash
# Builds the project's Dockerfile on a machine without Docker, Docker Hub or mcr, then runs the image the way
# the README documents it and checks that the panel answers and that the engine reaches the host through nsenter.
#
# The two base images are local stand-ins (fixtures), built once and cached in the fixture storage, keyed by a
# hash of their recipe:
#   localhost/controlpanel-test/debian:12-slim   debootstrap --variant=minbase bookworm from this machine's apt mirror
#   localhost/controlpanel-test/dotnet-sdk:local  that rootfs + ICU/CA certificates + this machine's /usr/share/dotnet
# The Dockerfile itself is built unchanged with `buildah bud`, the base images given as build arguments.
#
# The run check starts the image with podman (privileged, host network, the machine's root at /host, data in a temp
# directory), then asks `controlpanel proxy show` in the container about a domain whose certificate files this script
# places on the machine for the duration (/etc/letsencrypt/live/container-test-PID.example.com, removed on exit).
#
# Run as root, no stdin. Env: CONTROLPANEL_TEST_CACHE (default /var/cache/controlpanel-test),
# CONTROLPANEL_TEST_NUGET (default $HOME/.nuget/packages: copied once into the cache to seed the build's NuGet
# cache; "none" restores from the network). Ends with "N passed, N failed"; exits 1 on any failure.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${CONTROLPANEL_TEST_CACHE:-/var/cache/controlpanel-test}
NUGET_SEED=${CONTROLPANEL_TEST_NUGET:-$HOME/.nuget/packages}
BASE_TAG=localhost/controlpanel-test/debian:12-slim
SDK_TAG=localhost/controlpanel-test/dotnet-sdk:local
IMAGE=localhost/controlpanel:test
# A private image store, so the fixtures neither use nor disturb any other container storage on the machine.
STORE=(--storage-driver vfs --root "$CACHE/containers" --runroot /run/controlpanel-test/containers)
export BUILDAH_ISOLATION=chroot
passed=0; failed=0

step() { echo "== $(date -u +%T) $*"; }
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN{printf "%.1f", a-b}'; }
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
started=$(now)
finish() { echo "total $(since "$started") s"; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
bah() { buildah "${STORE[@]}" "$@"; }
has_image() { bah inspect --type image "$1" >/dev/null 2>&1; }

[ "$(id -u)" = 0 ] || { echo "run as root"; fail "running as root"; finish; }
if ! command -v buildah >/dev/null || ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    buildah podman debootstrap curl python3 || { fail "installing buildah, podman, debootstrap"; finish; }
fi
mkdir -p "$CACHE"

# The mirror this machine's apt uses (deb822 or legacy sources.list), as in /work/shared/testhost/make-vm.sh.
if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list)
fi

# The recipe of each fixture is the function's own text plus its inputs, so editing it rebuilds the image.
base_recipe() { declare -f build_base; echo "$MIRROR"; }
sdk_recipe() {
  declare -f build_sdk; base_recipe; /usr/share/dotnet/dotnet --version; ls /usr/share/dotnet/shared/*
  cat /usr/local/share/ca-certificates/*.crt 2>/dev/null
}

build_base() {
  local rootfs=$CACHE/rootfs.$$ ctr mnt
  rm -rf "$rootfs"
  debootstrap --variant=minbase --components=main bookworm "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log"; return 1; }
  # Like debian:12-slim: deb822 sources with updates and security, no package lists or downloaded debs.
  rm -f "$rootfs/etc/apt/sources.list"
  printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\nURIs: %s\nSuites: bookworm-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$MIRROR" "${MIRROR%/debian}/debian-security" >"$rootfs/etc/apt/sources.list.d/debian.sources"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/dev/* "$rootfs"/proc/* "$rootfs"/sys/*
  ctr=$(bah from scratch) && mnt=$(bah mount "$ctr") && cp -a "$rootfs/." "$mnt/" && bah umount "$ctr" >/dev/null \
    && bah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd bash \
         --label org.opencontainers.image.title="controlpanel test fixture: stand-in for debian:12-slim" "$ctr" \
    && bah commit -q "$ctr" "$1" >/dev/null
  local rc=$?
  [ -n "${ctr:-}" ] && bah rm "$ctr" >/dev/null
  rm -rf "$rootfs"
  return $rc
}

build_sdk() {
  local ctr mnt rc
  ctr=$(bah from "$BASE_TAG") || return 1
  # What the SDK needs at run time (the mcr SDK image carries the same), then this machine's SDK, and the extra
  # CA certificates this machine trusts (its egress to nuget.org is TLS-intercepted): public certificates, only in
  # this local fixture, never in the Dockerfile or the panel's image.
  bah run "$ctr" -- sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ca-certificates libicu72 libssl3 zlib1g && rm -rf /var/lib/apt/lists/*' \
      >"$CACHE/sdk-apt.log" 2>&1 \
    && mnt=$(bah mount "$ctr") && cp -a /usr/share/dotnet "$mnt/usr/share/dotnet" && ln -s /usr/share/dotnet/dotnet "$mnt/usr/bin/dotnet" \
    && { ! compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null || cp /usr/local/share/ca-certificates/*.crt "$mnt/usr/local/share/ca-certificates/"; } \
    && bah umount "$ctr" >/dev/null \
    && bah run "$ctr" -- update-ca-certificates >>"$CACHE/sdk-apt.log" 2>&1 \
    && bah config --env DOTNET_CLI_TELEMETRY_OPTOUT=1 --env DOTNET_NOLOGO=1 \
         --label org.opencontainers.image.title="controlpanel test fixture: stand-in for the .NET SDK image" "$ctr" \
    && bah commit -q "$ctr" "$1" >/dev/null
  rc=$?
  [ $rc -eq 0 ] || tail -20 "$CACHE/sdk-apt.log"
  bah rm "$ctr" >/dev/null
  return $rc
}

# Builds (or finds cached) fixture $1 with function $2, recipe $3; tags the cached image with the plain name.
fixture() {
  local tag=$1 build=$2 key t0
  key=$($3 | sha256sum | cut -c1-12)
  t0=$(now)
  if has_image "$tag-$key"; then
    pass "fixture $tag (cached, recipe $key)"
  else
    step "building fixture $tag (recipe $key)"
    if $build "$tag-$key"; then pass "fixture $tag built in $(since "$t0") s"; else fail "fixture $tag"; finish; fi
  fi
  bah tag "$tag-$key" "$tag"
  # Fixtures of older recipes only take disk space.
  bah images --format '{{.Name}}:{{.Tag}}' | grep -F "$tag-" | grep -vxF "$tag-$key" | xargs -r buildah "${STORE[@]}" rmi >/dev/null 2>&1
  true
}

step "fixtures (mirror $MIRROR)"
fixture "$BASE_TAG" build_base base_recipe
fixture "$SDK_TAG" build_sdk sdk_recipe

# The NuGet cache of the build: a copy of this machine's cache, made once, mounted over the build's
# /root/.nuget/packages so restore finds the net10.0 runtime packs without downloading them. The Dockerfile does not
# know about it; a normal `docker build` restores from nuget.org.
nuget_volume=()
if [ "$NUGET_SEED" != none ]; then
  if [ ! -d "$CACHE/nuget-packages" ] && [ -d "$NUGET_SEED" ]; then
    step "seeding the build's NuGet cache from $NUGET_SEED"
    cp -a "$NUGET_SEED/." "$CACHE/nuget-packages.$$/" && mv "$CACHE/nuget-packages.$$" "$CACHE/nuget-packages"
  fi
  [ -d "$CACHE/nuget-packages" ] && nuget_volume=(--volume "$CACHE/nuget-packages:/root/.nuget/packages")
fi

step "buildah bud $IMAGE"
t0=$(now)
if bah bud --isolation chroot --layers=false \
     --build-arg SDK_IMAGE="$SDK_TAG" --build-arg BASE_IMAGE="$BASE_TAG" \
     ${nuget_volume[@]+"${nuget_volume[@]}"} -t "$IMAGE" -f "$ROOT/Dockerfile" "$ROOT" >"$CACHE/bud.log" 2>&1; then
  bah rmi --prune >/dev/null 2>&1   # the image this build replaced
  size=$(bah images --format '{{.Size}}' "$IMAGE" | head -1)
  pass "Dockerfile builds with buildah in $(since "$t0") s; image $IMAGE is $size"
else
  tail -30 "$CACHE/bud.log"
  fail "Dockerfile builds with buildah (log: $CACHE/bud.log)"
  finish
fi

# --- The image's structure: what the Dockerfile promises, checked in the built image itself.
step "image structure"
cfg() { bah inspect --type image --format "$1" "$IMAGE"; }
entrypoint=$(cfg '{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}')
cmd=$(cfg '{{range .OCIv1.Config.Cmd}}{{.}} {{end}}')
exposed=$(cfg '{{range $p, $_ := .OCIv1.Config.ExposedPorts}}{{$p}} {{end}}')
env=$(cfg '{{range .OCIv1.Config.Env}}{{.}} {{end}}')
[ "$entrypoint" = '/opt/controlpanel/controlpanel ' ] && pass "entrypoint is $entrypoint" || fail "entrypoint is $entrypoint"
[[ " $env " == *" CONTROLPANEL_HOST_NSENTER=1 "* ]] && pass "image sets CONTROLPANEL_HOST_NSENTER=1" || fail "image env: $env"
cmd_port=$(grep -oE 'http://[^ ]*:[0-9]+' <<<"$cmd" | sed -E 's/.*:([0-9]+)$/\1/')
[ -n "$cmd_port" ] && [ "${exposed% }" = "$cmd_port/tcp" ] && pass "EXPOSE ${exposed% } matches CMD's --urls port" \
  || fail "EXPOSE '${exposed% }' vs CMD $cmd"
ctr=$(bah from --pull=never "$IMAGE" 2>/dev/null)
mnt=$(bah mount "$ctr")
[ -x "$mnt/opt/controlpanel/controlpanel" ] && pass "entrypoint is an executable in the image" || fail "entrypoint missing in the image"
[ -x "$mnt/usr/bin/nsenter" ] && pass "nsenter is in the image" || fail "nsenter missing in the image"
bah umount "$ctr" >/dev/null
# CMD's flags must be ones `serve` accepts: run CMD with --help appended inside the image.
mapfile -t cmd_argv < <(bah inspect --type image --format '{{range .OCIv1.Config.Cmd}}{{println .}}{{end}}' "$IMAGE" | sed '/^$/d')
if help=$(bah run "$ctr" -- /opt/controlpanel/controlpanel "${cmd_argv[@]}" --help 2>&1) && grep -q -- '--urls' <<<"$help" \
   && ! grep -qi 'unrecognized\|required' <<<"$help"; then
  pass "CMD (${cmd_argv[*]}) is accepted by the image's controlpanel"
else
  fail "CMD (${cmd_argv[*]}) --help: $help"
fi
bah rm "$ctr" >/dev/null

# --- Run it as the README documents: privileged, host PID and network namespaces, the host's root at /host.
# Data goes to a temporary directory on this machine (seen as /host$data inside), never /var/lib/controlpanel.
POD=(podman "${STORE[@]}" --cgroup-manager=cgroupfs --events-backend=file)
name=controlpanel-test-$$
data=$(mktemp -d /tmp/controlpanel-container-data.XXXXXX)
domain=container-test-$$.example.com
marker=/etc/letsencrypt/live/$domain
created=()   # directories this script made on the host, removed again on exit
cleanup() {
  "${POD[@]}" rm -f -t 5 "$name" >/dev/null 2>&1
  rm -rf "$data"
  # The stand-in is PID 1 of its namespace: only SIGKILL from outside ends it (and unshare with it).
  [ -n "${standin:-}" ] && kill -KILL "$standin" 2>/dev/null
  for ((i = ${#created[@]} - 1; i >= 0; i--)); do
    [ "${created[i]}" = "$marker" ] && rm -f "$marker/fullchain.pem" "$marker/privkey.pem"
    rmdir "${created[i]}" 2>/dev/null
  done
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

step "podman run $IMAGE on 127.0.0.1:$port"
t0=$(now)
# Rootful podman raises the container's nofile/nproc limits to 1048576/4194304, which needs CAP_SYS_RESOURCE; this
# sandbox's bounding set lacks it ("error setting rlimit type 7: operation not permitted"), so the test keeps the
# limits at what it has. Docker on a normal host needs no such flag.
limits=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096)
# --pid=host is the documented line. Where this machine's PID 1 refuses its namespaces even to root outside any
# container (this sandbox: "nsenter: cannot open /proc/1/ns/mnt: Permission denied"; PID 1 is its supervisor), the
# container gets instead the PID namespace of a stand-in PID 1 that this script starts in the machine's own mount,
# UTS, IPC and network namespaces: nsenter --target 1 then enters the machine's real mount and network namespaces.
pid_mode=host
if ! nsenter --target 1 --mount -- true 2>"$CACHE/nsenter-pid1.err"; then
  unshare --pid --fork --kill-child sleep infinity </dev/null >/dev/null 2>&1 &
  standin_parent=$!
  for _ in $(seq 50); do standin=$(pgrep -P "$standin_parent") && break; sleep 0.1; done
  pid_mode=ns:/proc/$standin/ns/pid
  echo "NOTE --pid=host not exercised: $(cat "$CACHE/nsenter-pid1.err"); using --pid=$pid_mode (stand-in PID 1: $standin)"
fi
if ! out=$("${POD[@]}" run -d --name "$name" "${limits[@]}" --privileged --pid="$pid_mode" --network=host -v /:/host \
      "$IMAGE" serve --urls "http://127.0.0.1:$port" --data "/host$data" 2>&1); then
  fail "podman run: $out"
  finish
fi
code=000
for _ in $(seq 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz") && [ "$code" = 200 ] && break
  "${POD[@]}" container exists "$name" && [ "$("${POD[@]}" inspect -f '{{.State.Running}}' "$name")" = true ] || break
  sleep 1
done
if [ "$code" = 200 ]; then pass "/healthz answers 200 from the host, $(since "$t0") s after podman run"
else fail "/healthz answered $code"; "${POD[@]}" logs "$name" 2>&1 | tail -20; finish; fi
ls "$data"/*.db >/dev/null 2>&1 && pass "the panel's database is on the host's disk ($data)" \
  || fail "no database in $data: $(ls -A "$data")"

# The engine must see the host's files, not the container's: `proxy show` renders an HTTPS server only when it
# finds the domain's certificate and key, so a certificate placed on the host (empty files, removed on exit) must
# change what the panel in the container renders, and must not when nsenter is switched off.
show() { "${POD[@]}" exec "$@" "$name" /opt/controlpanel/controlpanel proxy show --domain "$domain" --data "/host$data" 2>&1; }
https_line="ssl_certificate $marker/fullchain.pem"
# Each rendering must succeed and name the domain; only then does the presence of the HTTPS server mean anything.
rendered() { grep -q "server_name $domain" <<<"$1"; }
before=$(show)
rendered "$before" && ! grep -qF "$https_line" <<<"$before" \
  && pass "proxy show through nsenter: no certificate on the host, no HTTPS server" \
  || fail "proxy show before the certificate exists: $before"
[ -e "$marker" ] && { fail "$marker already exists on this machine; not touching it"; finish; }
for d in /etc/letsencrypt /etc/letsencrypt/live "$marker"; do
  [ -d "$d" ] || { mkdir -m 0700 "$d" && created+=("$d"); }
done
install -m 0600 /dev/null "$marker/fullchain.pem"
install -m 0600 /dev/null "$marker/privkey.pem"
after=$(show)
rendered "$after" && grep -qF "$https_line" <<<"$after" && pass "proxy show through nsenter sees the certificate placed on the host" \
  || fail "proxy show does not see $marker: $after"
inside=$(show -e CONTROLPANEL_HOST_NSENTER=0)
rendered "$inside" && ! grep -qF "$https_line" <<<"$inside" \
  && pass "control: without nsenter the same command sees only the container (no HTTPS server)" \
  || fail "control without nsenter: $inside"
# Through nsenter, a command in the container runs in this machine's mount and network namespaces (same inodes).
seen=$("${POD[@]}" exec "$name" nsenter --target 1 --mount --uts --ipc --net --pid -- readlink /proc/self/ns/mnt /proc/self/ns/net 2>&1)
[ "$seen" = "$(readlink /proc/self/ns/mnt /proc/self/ns/net)" ] \
  && pass "nsenter in the container lands in this machine's mount and network namespaces ($(echo $seen))" \
  || fail "nsenter in the container: $seen"
finish
