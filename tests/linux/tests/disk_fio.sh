#!/bin/sh
# SPDX-License-Identifier: MIT
# disk_fio: fio writes a checksummed pattern to the PV disk and reads it
# back (libaio, O_DIRECT, two jobs, 8 requests in flight each), then a
# second run verifies what the first left; then an ext4 file system made
# on the scratch device survives umount, e2fsck -fn and a remount; and an
# unmounted file system named on the command line is e2fsck -fn clean.
# Runs from the disk image (fio, mke2fs, e2fsck): hvroot=/dev/hvblk0.
#
# Kernel command line:
#   hvtest_scratch=DEV   the raw device fio writes, destroyed (default
#                        /dev/hvblk1, the SD card's p2: 64 MiB); "file":
#                        files in /var/tmp on the root file system instead
#   hvtest_fsck=DEV      an unmounted ext4 file system to e2fsck -fn (the
#                        second root, p3); none by default
# Needs CONFIG_AIO in the kernel (io_setup) and O_DIRECT on the device.
#
# busybox-static's shell runs its own applets before anything on PATH
# (mke2fs is one): e2fsprogs' programs are called by their paths.
. /usr/share/hvtest/common.sh
MKE2FS=/sbin/mke2fs
# fio maps its libraries (librados, libceph-common: large zero-filled
# data) and shared-memory pools up front, more than the heuristic
# overcommit check allows a 64 MiB guest; it touches little of them.
echo 1 > /proc/sys/vm/overcommit_memory
E2FSCK=/sbin/e2fsck

scratch=/dev/hvblk1
fsck_dev=""
for word in $(cat /proc/cmdline); do
    case $word in
    hvtest_scratch=*) scratch=${word#hvtest_scratch=} ;;
    hvtest_fsck=*) fsck_dev=${word#hvtest_fsck=} ;;
    esac
done

command -v fio >/dev/null ||
    fail "no fio: this test runs from the disk image (boot with hvroot=)"
for prog in $MKE2FS $E2FSCK; do
    [ -x $prog ] && [ ! -L $prog ] || fail "no $prog (e2fsprogs) in the image"
done
echo "root: $(awk '$2 == "/" { r = $1 " (" $3 ")" } END { print r }' /proc/mounts)"

mounted() {
    awk -v d="$1" '$1 == d { found = 1 } END { exit !found }' /proc/mounts
}

# Two jobs, 32 MiB each: on a device side by side (offset_increment), in
# files one each.
JOB_MIB=32
if [ "$scratch" = file ]; then
    dir=/var/tmp/disk_fio
    rm -rf "$dir"
    mkdir -p "$dir" || fail "cannot make $dir"
    target="--directory=$dir"
else
    [ -b "$scratch" ] || fail "no scratch device $scratch (hvtest_scratch=)"
    mounted "$scratch" && fail "$scratch is mounted: not a scratch device"
    sectors=$(cat "/sys/class/block/${scratch#/dev/}/size" 2>/dev/null) ||
        fail "no /sys/class/block/${scratch#/dev/}/size"
    mib=$((sectors / 2048))
    echo "scratch: $scratch, $mib MiB"
    [ "$mib" -ge $((2 * JOB_MIB)) ] ||
        fail "$scratch has $mib MiB, fio needs $((2 * JOB_MIB))"
    target="--filename=$scratch --offset_increment=${JOB_MIB}M"
fi

# run_fio WHAT ARGS...: fio with the job's options; fails the test with
# the reason fio gives.
log=/tmp/disk_fio.log
run_fio() {
    what=$1
    shift
    # shellcheck disable=SC2086 # $target is two options or one
    set -- fio --name=verify --rw=randwrite --bs=4k --size=${JOB_MIB}M \
        --iodepth=8 --ioengine=libaio --direct=1 --numjobs=2 --thread \
        --verify=crc32c --verify_fatal=1 --randrepeat=1 --group_reporting \
        $target "$@"
    echo "+ $*"
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    if grep -q "io_setup.*\(Function not implemented\|ENOSYS\)\|io_queue_init" \
        "$log"; then
        fail "$what: no AIO in the kernel (io_setup: CONFIG_AIO)"
    fi
    bad=$(grep -m 1 -i "verify: bad\|bad magic\|crc32c.*wanted\|verify failed" "$log")
    [ -z "$bad" ] || fail "$what: $bad"
    [ $rc = 0 ] || fail "$what: fio exit status $rc ($(grep -m 1 -i 'error\|err=' "$log"))"
    grep -q "err= *0" "$log" || fail "$what: no 'err= 0' in fio's report"
}

step "fio: random 4k writes, crc32c, read back and verified"
run_fio "fio write+verify"
step "fio: a second run verifies what the first left"
run_fio "fio verify_only" --verify_only

if [ "$scratch" != file ]; then
    step "ext4 on $scratch: mke2fs, files, umount, e2fsck -fn, remount"
    run "mke2fs" $MKE2FS -q -F -t ext4 "$scratch"
    mkdir -p /mnt/scratch
    run "mount $scratch" mount -t ext4 "$scratch" /mnt/scratch
    dd if=/dev/urandom of=/tmp/disk_fio.data bs=64k count=64 2>/dev/null ||
        fail "no random data"
    want=$(sha256sum < /tmp/disk_fio.data)
    run "copy to the new ext4" cp /tmp/disk_fio.data /usr/bin/fio /mnt/scratch/
    mkdir -p /mnt/scratch/d && seq 1 300 | while read -r i; do
        echo "file $i" > "/mnt/scratch/d/f$i" || exit 1
    done || fail "cannot write 300 small files"
    run "umount" umount /mnt/scratch
    run "e2fsck -fn $scratch" $E2FSCK -fn "$scratch"
    run "mount $scratch again" mount -t ext4 -o ro "$scratch" /mnt/scratch
    got=$(sha256sum < /mnt/scratch/disk_fio.data)
    n=$(ls /mnt/scratch/d | wc -l)
    umount /mnt/scratch
    [ "$got" = "$want" ] || fail "a file on the new ext4 came back different"
    [ "$n" = 300 ] || fail "$n of 300 small files came back"
    echo "ext4 on $scratch: 4 MiB file and 300 files back, e2fsck clean"
fi

if [ -n "$fsck_dev" ]; then
    step "e2fsck -fn $fsck_dev"
    [ -b "$fsck_dev" ] || fail "no device $fsck_dev (hvtest_fsck=)"
    mounted "$fsck_dev" && fail "$fsck_dev is mounted"
    run "e2fsck -fn $fsck_dev" $E2FSCK -fn "$fsck_dev"
fi
echo "disk_fio: OK"
