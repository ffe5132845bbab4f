#!/bin/sh
# SPDX-License-Identifier: MIT
# incremental.sh ROOT OUTDIR INITRAMFS: a second scripts/pvlinux-build with
# nothing changed unpacks nothing, configures nothing and relinks nothing.
set -u
root=$1
out=$2
cpio=$3
before=$(stat -c %Y "$out/obj/vmlinux") || exit 1
log=$("$root/scripts/pvlinux-build" "$out" "$cpio" 2>&1)
rc=$?
echo "$log" | grep '^pvlinux:'
[ $rc -eq 0 ] || { echo "FAIL: pvlinux-build failed"; exit 1; }
if echo "$log" | grep -q 'pvlinux: unpacking\|pvlinux: configuring'; then
    echo "FAIL: unpacked or configured again with nothing changed"
    exit 1
fi
after=$(stat -c %Y "$out/obj/vmlinux")
if [ "$before" != "$after" ]; then
    echo "FAIL: vmlinux was relinked with nothing changed"
    exit 1
fi
echo "OK: nothing rebuilt"
