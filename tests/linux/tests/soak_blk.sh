#!/bin/sh
# SPDX-License-Identifier: MIT
# soak_blk: the client side of the driver-domain restart soak
# (scripts/bench-soak, bench/linux/README.md "Restart soak"). fio writes
# crc32c-checksummed random 4 KiB blocks to the raw scratch disk for
# hvtest_soak_s guest seconds (libaio, O_DIRECT, two jobs, iodepth 8 each)
# and reads each back and verifies it soon after (verify_backlog) while
# the driver domain serving the disk is killed again and again; then a
# plain pass writes 4 MiB per job and verifies all of it.
# The test fails on any fio error or verify failure, on an I/O error or
# a give-up in the kernel log; it prints what the frontend saw:
#   SOAK reattach <count> replayed <requests>
#   SOAK fio <writes> <verified reads> <errors>
# Runs from the disk image (fio): hvroot=/dev/hvblk0.
#
# Kernel command line:
#   hvtest_scratch=DEV   the raw device fio writes, destroyed (default
#                        /dev/hvblk1, the SD card's p2)
#   hvtest_soak_s=S      guest seconds of writing (default 60)
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/fio.sh
# fio's up-front mappings exceed the heuristic overcommit check in a
# 64 MiB guest (see disk_fio.sh).
echo 1 > /proc/sys/vm/overcommit_memory

scratch=/dev/hvblk1
soak_s=60
for word in $(cat /proc/cmdline); do
    case $word in
    hvtest_scratch=*) scratch=${word#hvtest_scratch=} ;;
    hvtest_soak_s=*) soak_s=${word#hvtest_soak_s=} ;;
    esac
done
command -v fio >/dev/null ||
    fail "no fio: this test runs from the disk image (boot with hvroot=)"
[ -b "$scratch" ] || fail "no scratch device $scratch (hvtest_scratch=)"
case $soak_s in
'' | *[!0-9]*) fail "hvtest_soak_s=$soak_s is not a number of seconds" ;;
esac
dev=${scratch#/dev/}
echo "scratch: $scratch; writing for $soak_s s"

log=/tmp/soak_blk.log
# soak_fio WHAT ARGS...: the soak's fio job; fails on any error.
soak_fio() {
    what=$1
    shift
    set -- fio --name=soak --filename="$scratch" --rw=randwrite --bs=4k \
        --size=16M --offset_increment=16M --numjobs=2 --thread --iodepth=8 \
        --ioengine=libaio --direct=1 --verify=crc32c --verify_fatal=1 \
        --randrepeat=1 --group_reporting --output-format=terse,normal \
        --terse-version=3 "$@"
    fio_checked "$what" "$log" "$@"
}

step "fio: random 4k writes verified as they go, $soak_s s"
# verify_backlog: each block is read back and checked after at most 64
# more writes, so a lost or misplaced write is caught during the kills,
# not only at the end. loops: the time limit, not the size, ends it.
soak_fio "soak" --time_based --runtime="$soak_s" --verify_backlog=64
# Terse v3: field 6 is KiB read, field 47 KiB written.
line=$(grep -m 1 "^3;" "$log")
[ -n "$line" ] || fail "no terse line from fio"
fio_counts=$(echo "$line" | awk -F';' '{ printf "%d %d", $47 / 4, $6 / 4 }')

step "after the kills: a plain write then verify pass"
# time_based leaves no pass complete enough for --verify_only: a fresh
# pass over a quarter of the area, written whole, then read and verified.
soak_fio "final write+verify" --size=4M

step "the kernel log"
if dmesg | grep -E "I/O error|gave up|broke the ring|EXT4-fs error"; then
    fail "the client's kernel reported the errors above"
fi
reattach=$(dmesg | grep -c "$dev: backend back")
replayed=$(dmesg | awk -v d="$dev:" '$0 ~ d " backend back" {
    for (i = 1; i < NF; i++) if ($(i + 1) == "requests") n += $i
} END { printf "%d\n", n }')
echo "SOAK reattach $reattach replayed $replayed"
echo "SOAK fio $fio_counts 0"
echo "soak_blk: OK"
