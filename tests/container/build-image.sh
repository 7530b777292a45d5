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
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
bah() { buildah "${STORE[@]}" "$@"; }
has_image() { bah inspect --type image "$1" >/dev/null 2>&1; }

[ "$(id -u)" = 0 ] || { echo "run as root"; fail "running as root"; finish; }
for tool in buildah debootstrap curl; do
  command -v "$tool" >/dev/null || { fail "$tool is installed"; finish; }
done
mkdir -p "$CACHE"

# The mirror this machine's apt uses (deb822 or legacy sources.list), as in /work/shared/testhost/make-vm.sh.
if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list)
fi

# The recipe of each fixture is the function's own text plus its inputs, so editing it rebuilds the image.
base_recipe() { declare -f build_base; echo "$MIRROR"; }
sdk_recipe() { declare -f build_sdk; base_recipe; /usr/share/dotnet/dotnet --version; ls /usr/share/dotnet/shared/*; }

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
  # What the SDK needs at run time (the mcr SDK image carries the same), then this machine's SDK.
  bah run "$ctr" -- sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ca-certificates libicu72 libssl3 zlib1g && rm -rf /var/lib/apt/lists/*' \
      >"$CACHE/sdk-apt.log" 2>&1 \
    && mnt=$(bah mount "$ctr") && cp -a /usr/share/dotnet "$mnt/usr/share/dotnet" && ln -s /usr/share/dotnet/dotnet "$mnt/usr/bin/dotnet" \
    && bah umount "$ctr" >/dev/null \
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
}

step "fixtures (mirror $MIRROR)"
fixture "$BASE_TAG" build_base base_recipe
fixture "$SDK_TAG" build_sdk sdk_recipe
