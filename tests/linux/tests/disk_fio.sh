#!/bin/sh
# SPDX-License-Identifier: MIT
# disk_fio: fio writes a checksummed pattern to the PV disk and reads it
# back (libaio, O_DIRECT, 8 requests in flight per job), then a second run
# verifies what the first left; then an ext4 file system made on the
# scratch device survives umount, e2fsck -fn and a remount; an unmounted
# file system named on the command line is e2fsck -fn clean; and at the
# end the root file system, remounted read-only, is e2fsck -fn clean.
# Runs from the disk image (fio, mke2fs, e2fsck): hvroot=/dev/hvblk0.
#
# Kernel command line:
#   hvtest_scratch=DEV   the raw device fio writes, destroyed (default
#                        /dev/hvblk1, the SD card's p2: 64 MiB; two jobs
#                        of 32 MiB side by side); "file": four files of
#                        8 MiB in /var/tmp on the root file system instead
#                        (one a job, removed afterwards)
#   hvtest_fsck=DEV      an unmounted ext4 file system to e2fsck -fn (the
#                        second root, p3); none by default
#   hvtest_root_fsck=1   (default) at the end: sync, mount -o remount,ro /
#                        and e2fsck -fn on the root's device; / stays
#                        read-only (init powers off next). 0: not done.
#                        "break": the same, but first debugfs -w marks a
#                        block of /sbin/init free on the device, so that
#                        the check must fail (how the check was checked)
# Needs CONFIG_AIO in the kernel (io_setup) and O_DIRECT on the device.
#
# busybox-static's shell runs its own applets before anything on PATH
# (mke2fs is one): e2fsprogs' programs are called by their paths.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/fio.sh
MKE2FS=/sbin/mke2fs
# fio maps its libraries (librados, libceph-common: large zero-filled
# data) and shared-memory pools up front, more than the heuristic
# overcommit check allows a 64 MiB guest; it touches little of them.
echo 1 > /proc/sys/vm/overcommit_memory
E2FSCK=/sbin/e2fsck
DEBUGFS=/sbin/debugfs

scratch=/dev/hvblk1
fsck_dev=""
root_fsck=1
for word in $(cat /proc/cmdline); do
    case $word in
    hvtest_scratch=*) scratch=${word#hvtest_scratch=} ;;
    hvtest_fsck=*) fsck_dev=${word#hvtest_fsck=} ;;
    hvtest_root_fsck=*) root_fsck=${word#hvtest_root_fsck=} ;;
    esac
done

command -v fio >/dev/null ||
    fail "no fio: this test runs from the disk image (boot with hvroot=)"
for prog in $MKE2FS $E2FSCK; do
    [ -x $prog ] && [ ! -L $prog ] || fail "no $prog (e2fsprogs) in the image"
done
# The guest has no RTC: its clock starts at 1970-01-01 00:00:00. ext4
# stamps a deleted inode's dtime with that clock, a few seconds, and
# e2fsck -fn takes a dtime below the inode count for an orphan-list link
# ("Inodes that were part of a corrupted orphan linked list found") when
# the superblock's times are not as low (they are the image's build
# time): the root check below would fail on fio's removed files. A clock
# at a plausible date avoids that false alarm.
if [ "$(date +%s)" -lt 946684800 ]; then
    date -u -s "2026-01-01 00:00:00" >/dev/null || fail "cannot set the clock"
    echo "clock set to $(date -u '+%Y-%m-%d %H:%M:%S') (no RTC: it started at 1970)"
fi
echo "root: $(awk '$2 == "/" { r = $1 " (" $3 ")" } END { print r }' /proc/mounts)"

mounted() {
    awk -v d="$1" '$1 == d { found = 1 } END { exit !found }' /proc/mounts
}

case $root_fsck in
0 | 1 | break) ;;
*) fail "hvtest_root_fsck=$root_fsck: 0, 1 or break" ;;
esac

# On a device two jobs of 32 MiB side by side (offset_increment); in
# files four jobs of 8 MiB, a file each (the root has about 100 MiB free,
# and the file system's allocation and journal make each write dearer).
JOBS=2
JOB_MIB=32
if [ "$scratch" = file ]; then
    JOBS=4
    JOB_MIB=8
    dir=/var/tmp/disk_fio
    rm -rf "$dir"
    mkdir -p "$dir" || fail "cannot make $dir"
    target="--directory=$dir"
    echo "scratch: files in $dir, $JOBS jobs of $JOB_MIB MiB"
else
    [ -b "$scratch" ] || fail "no scratch device $scratch (hvtest_scratch=)"
    mounted "$scratch" && fail "$scratch is mounted: not a scratch device"
    sectors=$(cat "/sys/class/block/${scratch#/dev/}/size" 2>/dev/null) ||
        fail "no /sys/class/block/${scratch#/dev/}/size"
    mib=$((sectors / 2048))
    echo "scratch: $scratch, $mib MiB"
    [ "$mib" -ge $((JOBS * JOB_MIB)) ] ||
        fail "$scratch has $mib MiB, fio needs $((JOBS * JOB_MIB))"
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
        --iodepth=8 --ioengine=libaio --direct=1 --numjobs=$JOBS --thread \
        --verify=crc32c --verify_fatal=1 --randrepeat=1 --group_reporting \
        $target "$@"
    fio_checked "$what" "$log" "$@"
}

step "fio: random 4k writes, crc32c, read back and verified"
run_fio "fio write+verify"
step "fio: a second run verifies what the first left"
run_fio "fio verify_only" --verify_only
if [ "$scratch" = file ]; then
    ls -l "$dir"
    run "rm -r $dir" rm -r "$dir"
fi

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
# The root file system, checked where it is mounted: after a sync and a
# read-only remount (ext4 then checkpoints its journal and marks itself
# clean) e2fsck -fn reads a consistent file system through the same
# device; e2fsck accepts a read-only root (no "is mounted" refusal).
if [ "$root_fsck" != 0 ]; then
    rootdev=$(awk '$2 == "/" { d = $1 } END { print d }' /proc/mounts)
    step "the root file system $rootdev: read-only, e2fsck -fn"
    [ -b "$rootdev" ] ||
        fail "root fsck: / is on '$rootdev', not a block device (hvtest_root_fsck=0?)"
    sync
    run "mount -o remount,ro /" mount -o remount,ro /
    awk '$2 == "/" { o = $4 } END { exit o !~ /^ro(,|$)/ }' /proc/mounts ||
        fail "/ is not read-only after mount -o remount,ro /"
    if [ "$root_fsck" = break ]; then
        [ -x $DEBUGFS ] || fail "no $DEBUGFS (e2fsprogs) in the image"
        blk=$($DEBUGFS -R "bmap /sbin/init 0" "$rootdev" 2>/dev/null)
        case $blk in
        '' | *[!0-9]*) fail "debugfs: no block of /sbin/init ('$blk')" ;;
        esac
        echo "hvtest_root_fsck=break: block $blk (of /sbin/init) marked free"
        run "debugfs -w freeb $blk" $DEBUGFS -w -R "freeb $blk" "$rootdev"
    fi
    echo "+ $E2FSCK -fn $rootdev"
    $E2FSCK -fn "$rootdev" >/tmp/root_fsck.log 2>&1
    rc=$?
    cat /tmp/root_fsck.log
    if [ $rc != 0 ]; then
        # The first line that is not e2fsck's usual progress.
        what=$(grep -v -m 1 '^e2fsck [0-9]\|^Pass [0-9]\|^Warning!.* is mounted\|^ *$' \
            /tmp/root_fsck.log)
        fail "root file system $rootdev not clean: e2fsck -fn exit status $rc: $what"
    fi
    echo "root file system $rootdev: e2fsck -fn clean"
fi
echo "disk_fio: OK"
