#!/bin/sh
# Installs what the harness's `linux` engine needs on a Debian 12/13 host (run as root, or with
# sudo available):
#   qemu-system-x86 (QEMU), busybox-static (the guest's shell and tools), musl-tools (builds the
#   in-guest relay), and a generic Debian kernel unpacked into the snapstart cache.
# The kernel is fetched with `apt-get download` and unpacked with `dpkg-deb` (only vmlinuz and the
# six virtio modules the guest loads): no kernel is installed on the host, nothing needs a reboot,
# and it works in containers. It must be the generic flavour: Debian's -cloud- kernels have no
# vmgenid driver.
# Cache: $SNAPSTART_CACHE_DIR, default ~/.cache/snapstart/linux.
set -eu

CACHE="${SNAPSTART_CACHE_DIR:-$HOME/.cache/snapstart/linux}"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

need=""
command -v qemu-system-x86_64 >/dev/null 2>&1 || need="$need qemu-system-x86"
command -v musl-gcc >/dev/null 2>&1 || need="$need musl-tools"
if ! ldd /bin/busybox 2>&1 | grep -q 'not a dynamic executable'; then need="$need busybox-static"; fi
if [ -n "$need" ]; then
  echo "setup-linux: installing$need" >&2
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# The generic kernel package the metapackage currently names (e.g. linux-image-6.1.0-57-amd64).
pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)"
if [ -z "$pkg" ]; then
  echo "setup-linux: apt knows no linux-image-amd64 (run apt-get update?)" >&2
  exit 1
fi
version="${pkg#linux-image-}"
dest="$CACHE/kernel/$version"
if [ -f "$dest/boot/vmlinuz-$version" ] && [ -f "$dest/lib/modules/$version/kernel/drivers/char/virtio_console.ko" ]; then
  echo "setup-linux: kernel $version already in $dest" >&2
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  echo "setup-linux: fetching $pkg into $dest" >&2
  # apt's sandbox user may not write to $work: download as the current user.
  (cd "$work" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "$pkg" >/dev/null)
  mkdir -p "$dest.tmp"
  dpkg-deb --fsys-tarfile "$work"/"$pkg"_*.deb | tar -x -C "$dest.tmp" --wildcards \
    "./boot/vmlinuz-$version" "./boot/config-$version" \
    "./lib/modules/$version/kernel/drivers/virtio/*" \
    "./lib/modules/$version/kernel/drivers/char/virtio_console.ko"
  grep -q '^CONFIG_VMGENID=y' "$dest.tmp/boot/config-$version" || { echo "setup-linux: $pkg has no CONFIG_VMGENID" >&2; exit 1; }
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  echo "setup-linux: kernel $version ready" >&2
fi
