#!/bin/sh
# SPDX-License-Identifier: MIT
# pvroot_reboot: data written before a reboot of the client is read back
# equal after it (tests/systems/linux-pvroot-reboot.dts: hv restarts the
# client once after its clean shutdown). Runs from the disk image
# (hvroot=/dev/hvblk0); the life comes from /sys/hypervisor/hv/restarts.
#
# Life 1 (restarts 0): 8 MiB of random data in a file on the root ext4
# and 4 MiB of random data on the raw scratch disk (hvtest_scratch=DEV,
# default /dev/hvblk1, at 8 MiB, with conv=fsync), both sha256 sums in a
# file on the root; sync, and poweroff -f (shutdown code 0) from here,
# without remounting / read-only first: what sync wrote must be enough
# (ext4 replays its journal at the next mount). No HVTEST-RESULT line: a
# failure here is reported by init (FAIL) and life 2 then finds no sums.
# Life 2 (restarts 1, fresh memory, so nothing comes from a page cache):
# the file and the scratch disk's 4 MiB are read back (caches dropped
# first all the same), their sums compared with life 1's; then sync,
# / remounted read-only and e2fsck -fn on the root's device must be
# clean. Exit 0 (init prints PASS and powers off: the run ends). A third
# life fails.
#
# busybox-static's shell runs its own applets before anything on PATH:
# e2fsck is called by its path.
. /usr/share/hvtest/common.sh
E2FSCK=/sbin/e2fsck

scratch=/dev/hvblk1
for word in $(cat /proc/cmdline); do
    case $word in
    hvtest_scratch=*) scratch=${word#hvtest_scratch=} ;;
    esac
done

restarts=$(cat /sys/hypervisor/hv/restarts 2>/dev/null) ||
    fail "no /sys/hypervisor/hv/restarts (the PV kernel's restart count)"
life=$((restarts + 1))
root=$(awk '$2 == "/" { r = $1 " " $3 } END { print r }' /proc/mounts)
echo "pvroot_reboot: life $life (restarts $restarts), root $root"
case $root in
"/dev/hvblk"*" ext4") rootdev=${root% ext4} ;;
*) fail "/ is '$root', not a PV disk with ext4 (hvroot=)" ;;
esac
[ -b "$scratch" ] || fail "no scratch device $scratch (hvtest_scratch=)"

dir=/var/tmp/pvroot_reboot
data=$dir/data
sums=$dir/sha256
# The scratch disk's region: 64 blocks of 64 KiB from 8 MiB on.
RAW_SKIP=128
RAW_COUNT=64

raw_sum() {
    dd if="$scratch" bs=64k skip=$RAW_SKIP count=$RAW_COUNT 2>/dev/null |
        sha256sum | cut -d' ' -f1
}

case $life in
1)
    step "life 1: random data on the root ext4 and on $scratch"
    rm -rf "$dir"
    mkdir -p "$dir" || fail "cannot make $dir"
    run "8 MiB file on /" dd if=/dev/urandom of="$data" bs=64k count=128
    file_sum=$(sha256sum < "$data" | cut -d' ' -f1)
    dd if=/dev/urandom of=/tmp/raw bs=64k count=$RAW_COUNT 2>/dev/null ||
        fail "no random data"
    raw_want=$(sha256sum < /tmp/raw | cut -d' ' -f1)
    run "4 MiB on $scratch" dd if=/tmp/raw of="$scratch" bs=64k \
        seek=$RAW_SKIP conv=fsync
    rm -f /tmp/raw
    printf 'file %s\nraw %s\n' "$file_sum" "$raw_want" > "$sums" ||
        fail "cannot write $sums"
    cat "$sums"
    sync
    echo "pvroot_reboot: life 1: written and synced, poweroff -f"
    poweroff -f
    fail "poweroff -f returned"
    ;;
2)
    step "life 2: read back what life 1 wrote"
    [ -f "$sums" ] || fail "no $sums: life 1 did not write its sums"
    cat "$sums"
    file_want=$(awk '$1 == "file" { print $2 }' "$sums")
    raw_want=$(awk '$1 == "raw" { print $2 }' "$sums")
    [ ${#file_want} = 64 ] && [ ${#raw_want} = 64 ] ||
        fail "$sums is incomplete"
    sync
    echo 3 > /proc/sys/vm/drop_caches
    size=$(wc -c < "$data") || fail "no $data"
    [ "$size" = 8388608 ] || fail "$data has $size bytes, not 8388608"
    file_got=$(sha256sum < "$data" | cut -d' ' -f1)
    raw_got=$(raw_sum)
    echo "file $file_got"
    echo "raw $raw_got"
    [ "$file_got" = "$file_want" ] ||
        fail "the 8 MiB file on / came back different after the reboot"
    [ "$raw_got" = "$raw_want" ] ||
        fail "the 4 MiB on $scratch came back different after the reboot"
    echo "pvroot_reboot: life 2: the file and $scratch read back equal"

    step "the root file system $rootdev: read-only, e2fsck -fn"
    sync
    run "mount -o remount,ro /" mount -o remount,ro /
    echo "+ $E2FSCK -fn $rootdev"
    $E2FSCK -fn "$rootdev" >/tmp/root_fsck.log 2>&1
    rc=$?
    cat /tmp/root_fsck.log
    [ $rc = 0 ] || fail "root file system $rootdev not clean after the reboot: e2fsck -fn exit status $rc: $(grep -v -m 1 '^e2fsck [0-9]\|^Pass [0-9]\|^ *$' /tmp/root_fsck.log)"
    echo "root file system $rootdev: e2fsck -fn clean"
    ;;
*)
    fail "life $life: hv should have restarted this guest once only"
    ;;
esac
