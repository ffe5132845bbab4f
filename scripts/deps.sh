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
