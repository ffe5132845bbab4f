#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages the build and tests need; packages that
# are already installed are left alone. Needs root (or sudo) only when
# something is missing.
#
# A package mirror is sometimes mid-sync: `apt-get update` then fails on
# one index (say, the security suite's armhf list) while every package
# needed is still installable. So update errors are only a warning; the
# install that follows decides. apt-get update runs at most once.
#
# Test hooks: APT_LISTS_DIR (default /var/lib/apt/lists) is where the
# package lists are looked for (tests/tools/test_deps.sh).
set -eu

PACKAGES="cmake make gcc libc6-dev git python3 xz-utils
gcc-arm-none-eabi binutils-arm-none-eabi picolibc-arm-none-eabi
qemu-system-arm device-tree-compiler libfdt-dev linux-source-6.1
clang-format clang libclang-rt-14-dev
gcc-arm-linux-gnueabihf bc bison flex libssl-dev libelf-dev cpio ccache
libc6-dev-armhf-cross e2fsprogs fdisk iperf3 mmdebstrap
u-boot-tools u-boot-qemu dosfstools mtools"
# scripts/initramfs-build fetches the Linux guest's user space as Debian
# armhf packages (apt-get download PKG:armhf): the architecture must be
# known to dpkg and its package lists present. libc6-dev-armhf-cross (the
# static armhf test programs) is only recommended by the cross compiler,
# so it is named above. scripts/disk-build makes the disk images with
# mkfs.ext4, debugfs and e2fsck (e2fsprogs) and sfdisk (fdisk), without
# root. The network tests run an iperf3 server and client on the host;
# the Debian guest's root file system is unpacked by mmdebstrap. The
# U-Boot images (loader/hvfit, loader/hvsd) need mkimage (u-boot-tools),
# mkfs.vfat (dosfstools) and mcopy (mtools); QEMU's virt boots them with
# Debian's U-Boot (u-boot-qemu).
APT_LISTS_DIR=${APT_LISTS_DIR:-/var/lib/apt/lists}

sudo=""
if [ "$(id -u)" != 0 ]; then
    sudo=sudo
fi

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

armhf_lists() {
    ls "$APT_LISTS_DIR"/*_binary-armhf_Packages* >/dev/null 2>&1
}

missing=""
for p in $PACKAGES; do
    installed "$p" || missing="$missing $p"
done
need_arch=0
dpkg --print-foreign-architectures | grep -qx armhf || need_arch=1
need_lists=0
armhf_lists || need_lists=1

if [ -z "$missing" ] && [ $need_arch = 0 ] && [ $need_lists = 0 ]; then
    exit 0
fi

if [ $need_arch = 1 ]; then
    echo "deps: adding the armhf architecture"
    $sudo dpkg --add-architecture armhf
fi

log=$(mktemp)
rcfile=$(mktemp)
trap 'rm -f "$log" "$rcfile"' EXIT

# Runs "$@", its output shown as it comes and kept in $log; returns its
# status (POSIX sh has no pipefail).
logged() {
    { "$@" 2>&1; echo $? >"$rcfile"; } | tee "$log"
    return "$(cat "$rcfile")"
}

echo "deps: apt-get update"
if ! logged $sudo apt-get update; then
    echo "deps: warning: apt-get update reported errors (a mirror mid-sync?);" \
        "going on: the install decides"
fi
if ! armhf_lists; then
    echo "deps: error: no armhf package lists after apt-get update:" \
        "$(grep '^E:' "$log" | head -n 1)" >&2
    exit 1
fi

[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
# shellcheck disable=SC2086
if logged $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    --no-install-recommends $missing; then
    exit 0
fi
still=""
for p in $missing; do
    installed "$p" || still="$still $p"
done
echo "deps: error: cannot install:$still ($(grep '^E:' "$log" | head -n 1))" >&2
exit 1
