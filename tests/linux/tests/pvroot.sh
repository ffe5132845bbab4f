#!/bin/sh
# SPDX-License-Identifier: MIT
# pvroot: the root file system is the PV disk (hvroot=/dev/hvblk0): ext4,
# writable, and real programs run from it (fio, e2fsprogs, busybox), a
# file written on it survives a sync and a cache drop; the second PV disk
# is there with the size the backend gave.
. /usr/share/hvtest/common.sh

step "the root file system"
grep ' / ' /proc/mounts
root=$(awk '$2 == "/" { print $1 " " $3 }' /proc/mounts | tail -n 1)
case $root in
"/dev/hvblk0 ext4") ;;
*) fail "/ is '$root', not /dev/hvblk0 (ext4)" ;;
esac
grep ' / ' /proc/mounts | tail -n 1 | grep -q ' rw[ ,]' || fail "/ is not read-write"

step "programs from the disk"
# fio maps its shared-memory pools up front, more than the heuristic
# overcommit check allows a 64 MiB guest; it touches little of them.
echo 1 > /proc/sys/vm/overcommit_memory
run "fio --version" /usr/bin/fio --version
run "e2fsck -V" /sbin/e2fsck -V

step "a file on the disk, through a cache drop"
f=/var/tmp/pvroot.$$
mkdir -p /var/tmp
dd if=/dev/urandom of="$f" bs=4096 count=256 2>/dev/null || fail "cannot write $f"
sum1=$(md5sum < "$f")
sync
echo 3 > /proc/sys/vm/drop_caches
sum2=$(md5sum < "$f")
[ "$sum1" = "$sum2" ] || fail "$f reads back different after a cache drop"
rm -f "$f"
sync

step "the scratch disk"
[ -b /dev/hvblk1 ] || fail "no /dev/hvblk1"
sectors=$(cat /sys/block/hvblk1/size)
echo "hvblk1: $sectors sectors"
[ "$sectors" -gt 0 ] || fail "hvblk1 has no sectors"

echo "pvroot: OK"
