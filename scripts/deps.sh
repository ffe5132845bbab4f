#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages the build and tests need; packages that
# are already installed are left alone. Needs root (or sudo) only when
# something is missing.
set -eu

PACKAGES="cmake make gcc libc6-dev git python3 xz-utils
gcc-arm-none-eabi binutils-arm-none-eabi picolibc-arm-none-eabi
qemu-system-arm device-tree-compiler libfdt-dev linux-source-6.1
clang-format clang libclang-rt-14-dev
gcc-arm-linux-gnueabihf bc bison flex libssl-dev libelf-dev cpio ccache"

# --- armhf set-up (begin) ---------------------------------------------
# scripts/initramfs-build fetches the Linux guest's user space as Debian
# armhf packages (apt-get download PKG:armhf): the architecture must be
# known to dpkg and its package lists present; the static test programs
# need libc6-dev-armhf-cross. Does nothing when done.
setup_armhf() {
    asudo=""
    if [ "$(id -u)" != 0 ]; then
        asudo=sudo
    fi
    if ! dpkg --print-foreign-architectures | grep -qx armhf; then
        echo "deps: adding the armhf architecture"
        $asudo dpkg --add-architecture armhf
    fi
    if ! ls /var/lib/apt/lists/*_binary-armhf_Packages* >/dev/null 2>&1; then
        echo "deps: apt-get update (no armhf package lists yet)"
        # A mirror failing on one suite (say, security) is only a warning
        # as long as the main armhf list arrived.
        $asudo apt-get update ||
            echo "deps: warning: apt-get update reported errors"
        if ! ls /var/lib/apt/lists/*_binary-armhf_Packages* >/dev/null 2>&1; then
            echo "deps: error: no armhf package lists after apt-get update" >&2
            exit 1
        fi
    fi
    # The static armhf test programs need the cross C library, which
    # gcc-arm-linux-gnueabihf only recommends.
    if ! dpkg-query -W -f='${Status}' libc6-dev-armhf-cross 2>/dev/null |
        grep -q "install ok installed"; then
        echo "deps: installing libc6-dev-armhf-cross"
        DEBIAN_FRONTEND=noninteractive $asudo apt-get install -y \
            --no-install-recommends libc6-dev-armhf-cross
    fi
}
setup_armhf
# --- armhf set-up (end) -----------------------------------------------

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing"
sudo=""
if [ "$(id -u)" != 0 ]; then
    sudo=sudo
fi
$sudo apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y \
    --no-install-recommends $missing
