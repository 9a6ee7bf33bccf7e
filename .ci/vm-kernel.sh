#!/usr/bin/env bash
# Unpack Debian's kernel (vmlinuz + the bonding, veth, tls, bridge, 8021q (with llc,
# stp, garp, mrp) and e1000 modules; e1000 is the NIC of qemu's user networking the
# guest's sshd listens on) into
# $DIR without installing it: the test VM boots it under qemu (this
# machine's own kernel has no bonding driver). Idempotent; ~10 s.
set -euo pipefail
DIR=${BONDAUDIT_VM_DIR:-/tmp/bondaudit-lab/kernel}
mkdir -p "$DIR" && cd "$DIR"
PKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [ -z "$PKG" ]; then echo "vm-kernel: cannot resolve linux-image-amd64" >&2; exit 1; fi
if [ ! -f "$PKG.done" ] || ! ls lib/modules/*/kernel/net/8021q/8021q.ko >/dev/null 2>&1; then
  apt-get download -qq "$PKG" >/dev/null 2>&1 || apt-get download "$PKG"
  dpkg-deb --fsys-tarfile "${PKG}"_*.deb | tar -x --wildcards './boot/vmlinuz-*' \
    '*/kernel/net/tls/tls.ko*' '*/kernel/drivers/net/bonding/bonding.ko*' '*/kernel/drivers/net/veth.ko*' \
    '*/kernel/drivers/net/ethernet/intel/e1000/e1000.ko*' '*/kernel/net/bridge/bridge.ko*' '*/kernel/net/8021q/8021q.ko*' \
    '*/kernel/net/llc/llc.ko*' '*/kernel/net/802/stp.ko*' '*/kernel/net/802/garp.ko*' '*/kernel/net/802/mrp.ko*'
  # Debian may compress modules (.ko.xz); the initramfs loads plain .ko
  find . -name '*.ko.xz' -exec xz -d {} \; 2>/dev/null || true
  rm -f "${PKG}"_*.deb
  touch "$PKG.done"
fi
ls "$DIR"/boot/vmlinuz-* >/dev/null
