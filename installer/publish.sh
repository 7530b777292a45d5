#!/usr/bin/env bash
# Builds the release tarballs of the self-contained panel, one per architecture, each with a .sha256 file
# that install.sh verifies.
# Usage: installer/publish.sh [--version V] [--out DIR] [--arch linux-x64|linux-arm64]... (default: both) [--no-composite]
#
# Release builds are composite ReadyToRun: the framework and the panel precompiled together, so the generic code
# they share needs no JIT at start either (`cert issue` 1.8 s -> 1.2 s of CPU; the tarball is larger and the build
# several minutes longer). --no-composite builds plain ReadyToRun, as the system test does to keep CI short.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(git describe --tags --always 2>/dev/null || echo dev)
OUT=$PWD/artifacts/release
ARCHES=()
COMPOSITE=true
while [ $# -gt 0 ]; do
  case $1 in
    --version) VERSION=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --arch) ARCHES+=("$2"); shift 2 ;;
    --no-composite) COMPOSITE=false; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[ ${#ARCHES[@]} -gt 0 ] || ARCHES=(linux-x64 linux-arm64)
[[ $VERSION =~ ^[A-Za-z0-9._-]+$ ]] || { echo "--version: \"$VERSION\" may only hold letters, digits, dot, dash, underscore" >&2; exit 2; }
mkdir -p "$OUT"
for rid in "${ARCHES[@]}"; do
  case $rid in linux-x64|linux-arm64) ;; *) echo "--arch: \"$rid\" must be linux-x64 or linux-arm64" >&2; exit 2 ;; esac
  stage=$(mktemp -d)
  # crossgen's intermediate output does not record whether it was composite: after a build of the other kind it would
  # be taken as up to date, and the tarball's binary abort at start looking for the other kind's image.
  rm -rf src/ControlPanel/obj/Release/*/"$rid"/R2R
  # InformationalVersion only: git describe output (e.g. 1a2b3c4) is no valid numeric assembly version.
  # ReadyToRun and the runtime version come from the project (ControlPanel.csproj, Directory.Build.props).
  dotnet publish src/ControlPanel/ControlPanel.csproj -c Release -r "$rid" --self-contained true \
    -p:PublishReadyToRunComposite=$COMPOSITE \
    -p:InformationalVersion="$VERSION" -nologo -v q -o "$stage/controlpanel" >&2
  echo "$VERSION" > "$stage/controlpanel/VERSION"
  name=controlpanel-$VERSION-$rid.tar.gz
  tar -C "$stage" --owner=0 --group=0 -czf "$OUT/$name" controlpanel
  (cd "$OUT" && sha256sum "$name" > "$name.sha256")
  rm -rf "$stage"
  echo "$OUT/$name"
done
