#!/bin/bash
# Builds (or finds in the cache) the Debian 12 base image of the disposable test VM.
# Prints the image directory on stdout (base.img, vmlinuz, initrd.img, id_ed25519, host_key.pub);
# progress goes to stderr.
#
# The cache key is a hash of this recipe and the apt source, so an unchanged recipe is built once
# per machine: CONTROLPANEL_TESTVM_CACHE (default /var/cache/controlpanel-testvm)/images/<hash>/.
#
# What the image holds and why:
# - minbase + systemd, the cloud kernel, openssh-server, curl, iproute2: a plain cloud host.
# - NOT the stack's packages (runc, bridge-utils, iptables, nginx): the deps stage must really
#   install them. But their .debs (and the apt lists they were resolved against) are kept in the
#   VM's apt cache, so the stage's `apt-get install` is fast and works without the network; if the
#   stage runs `apt-get update` first and the mirror moved on, apt simply downloads newer ones.
# - A root ssh key pair and an ed25519 host key made for this image: the test pins that host key
#   in the engine's known_hosts before the first connection (no trust on first use).
set -euo pipefail
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
cache=${CONTROLPANEL_TESTVM_CACHE:-/var/cache/controlpanel-testvm}
size=${SIZE:-8G}
# The packages the deps stage installs; their .debs are pre-seeded (see above).
seed_debs=(runc bridge-utils iptables nginx ca-certificates curl)

mirror=${MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list)
fi
secmirror=${SECMIRROR:-${mirror%/debian}/debian-security}

# The guest resolves names through QEMU's DNS relay, i.e. the host's nameserver, not the host's
# /etc/hosts; where the host pins the apt mirror's address there, the guest gets the same pin.
apt_hosts=
for h in $(printf '%s\n' "$mirror" "$secmirror" | sed -E 's|^[a-z]+://([^/:]+).*|\1|' | sort -u); do
  apt_hosts+=$(getent hosts "$h" | awk -v h="$h" 'NR==1{print $1 "\t" h}')$'\n'
done

key=$( { cat "$0"; echo "$mirror $secmirror $size $apt_hosts"; } | sha256sum | cut -c1-16)
out=$cache/images/$key
log() { echo "== $(date +%T) $*" >&2; }

if [ -f "$out/ready" ]; then
  log "base image cached: $out"
  echo "$out"; exit 0
fi

for tool in debootstrap qemu-system-x86_64 qemu-img mkfs.ext4 ssh-keygen; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install qemu-system-x86 qemu-utils debootstrap e2fsprogs openssh-client" >&2; exit 2; }
done

mkdir -p "$cache/images"
exec 9>"$cache/images/.lock"
flock 9
if [ -f "$out/ready" ]; then echo "$out"; exit 0; fi

work=$cache/images/$key.building
rootfs=$work/rootfs
rm -rf "$work"
mkdir -p "$work"
trap 'umount_chroot; rm -rf "$work"' EXIT
umount_chroot() {
  for m in proc sys dev/pts dev; do mountpoint -q "$rootfs/$m" 2>/dev/null && umount -l "$rootfs/$m"; done
  return 0
}

t0=$SECONDS
log "debootstrap bookworm from $mirror"
debootstrap --variant=minbase --components=main \
  --include=systemd-sysv,systemd-resolved,udev,dbus,kmod,linux-image-cloud-amd64,initramfs-tools,zstd,openssh-server,ca-certificates,iproute2,iputils-ping,curl,procps,less,netbase \
  bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
log "debootstrap took $((SECONDS - t0)) s"

log "configure guest"
echo testvm >"$rootfs/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\ttestvm\n::1\tlocalhost ip6-localhost ip6-loopback\n%s' "$apt_hosts" >"$rootfs/etc/hosts"
echo '/dev/vda / ext4 defaults,errors=remount-ro 0 1' >"$rootfs/etc/fstab"
cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $secmirror bookworm-security main
EOF
# The cached lists may be old when a test runs: apt must still accept them.
printf 'Acquire::Check-Valid-Until "false";\n' >"$rootfs/etc/apt/apt.conf.d/99testvm"
mkdir -p "$rootfs/etc/systemd/network"
printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n' >"$rootfs/etc/systemd/network/20-wired.network"

ssh-keygen -q -t ed25519 -N '' -C controlpanel-testvm -f "$work/id_ed25519"
install -d -m 700 "$rootfs/root/.ssh"
install -m 600 "$work/id_ed25519.pub" "$rootfs/root/.ssh/authorized_keys"
rm -f "$rootfs"/etc/ssh/ssh_host_*
ssh-keygen -q -t ed25519 -N '' -C testvm -f "$rootfs/etc/ssh/ssh_host_ed25519_key"
cp "$rootfs/etc/ssh/ssh_host_ed25519_key.pub" "$work/host_key.pub"
# Only the pinned key type: sshd must not offer (or need) others.
printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nPasswordAuthentication no\n' >"$rootfs/etc/ssh/sshd_config.d/testvm.conf"

mount -t proc proc "$rootfs/proc"; mount -t sysfs sys "$rootfs/sys"
mount --bind /dev "$rootfs/dev"; mount --bind /dev/pts "$rootfs/dev/pts"
chroot "$rootfs" /bin/sh -c '
  set -e
  systemctl enable systemd-networkd systemd-resolved ssh >/dev/null 2>&1
  systemctl mask systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer >/dev/null 2>&1
'
log "pre-seed apt cache: ${seed_debs[*]}"
t0=$SECONDS
# debootstrap took bookworm alone: bring the image up to its -updates/-security lists first, so the
# deps stage installs only the stack's packages (an upgraded ca-certificates alone costs minutes
# of TCG time in update-ca-certificates), and drop debootstrap's own .debs from the cache.
apt_chroot() { chroot "$rootfs" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get -q -y "$@" >>"$work/apt.log" 2>&1; }
apt_chroot update && apt_chroot upgrade && apt_chroot clean \
  && chroot "$rootfs" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --download-only \
       --no-install-recommends "${seed_debs[@]}" >>"$work/apt.log" 2>&1 \
  || { tail -30 "$work/apt.log" >&2; exit 1; }
log "pre-seed took $((SECONDS - t0)) s: $(ls "$rootfs/var/cache/apt/archives/"*.deb | wc -l) debs"
umount_chroot

ln -sf ../run/systemd/resolve/stub-resolv.conf "$rootfs/etc/resolv.conf"
# Each clone makes its own machine-id at boot.
: >"$rootfs/etc/machine-id"; rm -f "$rootfs/var/lib/dbus/machine-id"

cp "$(ls -1 "$rootfs"/boot/vmlinuz-* | sort -V | tail -1)" "$work/vmlinuz"
cp "$(ls -1 "$rootfs"/boot/initrd.img-* | sort -V | tail -1)" "$work/initrd.img"

log "make $size raw ext4 image"
truncate -s "$size" "$work/base.img"
mkfs.ext4 -q -F -L rootfs -d "$rootfs" "$work/base.img"
rm -rf "$rootfs"
chmod 600 "$work/id_ed25519"
touch "$work/ready"
rm -rf "$out"
mv "$work" "$out"
trap - EXIT
# Older recipes' images are dead weight.
find "$cache/images" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
log "base image ready: $out ($(du -sh "$out/base.img" | cut -f1) used)"
echo "$out"
