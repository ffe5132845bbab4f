#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_roundtrip: /dev/hvblk0 (the block frontend, drivers/block/hvblk.c)
# against the test guest's RAM-disk backend (features=14: flush, FUA,
# discard): size, the pristine disk, whole-page and sub-page (bounced)
# writes read back, several requests in flight, flush and discard.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

step "the device"
blk_wait hvblk0
dmesg | grep 'hvblk0: ' || fail "no hvblk0 line in the kernel log"
dmesg | grep -q "hvblk0: $BLK_SECTORS sectors of 512 bytes.* flush fua discard" ||
    fail "hvblk0's connect line does not say flush fua discard"
[ "$(cat /sys/block/hvblk0/queue/logical_block_size)" = 512 ] ||
    fail "logical block size $(cat /sys/block/hvblk0/queue/logical_block_size)"
[ "$(cat /sys/block/hvblk0/queue/max_segments)" = 27 ] ||
    fail "max_segments $(cat /sys/block/hvblk0/queue/max_segments)"
grep -q '\[none\]' /sys/block/hvblk0/queue/scheduler ||
    fail "scheduler $(cat /sys/block/hvblk0/queue/scheduler), not none"
[ "$(cat /sys/block/hvblk0/queue/write_cache)" = "write back" ] ||
    fail "write_cache: $(cat /sys/block/hvblk0/queue/write_cache)"
[ "$(cat /sys/block/hvblk0/queue/fua)" = 1 ] || fail "no FUA"
[ "$(cat /sys/block/hvblk0/queue/discard_max_bytes)" -gt 0 ] || fail "no discard"
[ "$(cat /sys/block/hvblk0/ro)" = 0 ] || fail "read-only"

step "the pristine disk"
blk_read hvblk0 /tmp/pristine
[ "$(md5 /tmp/pristine)" = $BLK_PRISTINE ] || fail "the disk is not the backend's pattern"

step "whole pages: write 64 KiB, O_DIRECT, 4 KiB requests, read back"
dd if=/dev/urandom of=/tmp/p1 bs=4096 count=$BLK_BLOCKS 2>/dev/null
run "write" dd if=/tmp/p1 of=/dev/hvblk0 bs=4096 oflag=direct
blk_read hvblk0 /tmp/r1
run "compare" cmp /tmp/p1 /tmp/r1

step "large requests: 32 KiB O_DIRECT (8 segments each)"
dd if=/dev/urandom of=/tmp/p2 bs=32768 count=2 2>/dev/null
run "write" dd if=/tmp/p2 of=/dev/hvblk0 bs=32768 oflag=direct
dd if=/dev/hvblk0 of=/tmp/r2 bs=32768 iflag=direct 2>/dev/null
run "compare" cmp /tmp/p2 /tmp/r2

step "sub-page segments: 512-byte O_DIRECT requests (bounced)"
dd if=/dev/urandom of=/tmp/p3 bs=512 count=5 2>/dev/null
run "write 5 sectors at 13" dd if=/tmp/p3 of=/dev/hvblk0 bs=512 seek=13 oflag=direct conv=notrunc
dd if=/dev/hvblk0 of=/tmp/r3 bs=512 skip=13 count=5 iflag=direct 2>/dev/null
run "compare" cmp /tmp/p3 /tmp/r3
# the neighbours are untouched: sectors 0-12 and 18-127 as written above
dd if=/dev/hvblk0 of=/tmp/r3all bs=4096 iflag=direct 2>/dev/null
dd if=/tmp/p3 of=/tmp/p2 bs=512 seek=13 conv=notrunc 2>/dev/null
run "compare the whole disk" cmp /tmp/p2 /tmp/r3all

step "several in flight: 4 readers and buffered writeback at once"
dd if=/dev/urandom of=/tmp/p4 bs=4096 count=$BLK_BLOCKS 2>/dev/null
run "buffered write" dd if=/tmp/p4 of=/dev/hvblk0 bs=65536
run "sync" sync
for q in 0 1 2 3; do
    dd if=/dev/hvblk0 of=/tmp/q$q bs=4096 skip=$((q * 4)) count=4 iflag=direct 2>/dev/null &
done
wait
cat /tmp/q0 /tmp/q1 /tmp/q2 /tmp/q3 > /tmp/r4
run "compare" cmp /tmp/p4 /tmp/r4
echo 3 > /proc/sys/vm/drop_caches
dd if=/dev/hvblk0 of=/tmp/r4b bs=65536 2>/dev/null
run "compare (buffered read)" cmp /tmp/p4 /tmp/r4b

step "flush and discard"
run "blkdiscard" blkdiscard -o 4096 -l 8192 /dev/hvblk0
run "fsync" dd if=/tmp/p1 of=/dev/hvblk0 bs=4096 count=1 conv=fsync,notrunc
blk_read hvblk0 /tmp/r5
cmp /tmp/p1 /tmp/r5 2>/dev/null | head -1
[ "$(md5 /tmp/r5 bs=4096 count=1)" = "$(md5 /tmp/p1 bs=4096 count=1)" ] ||
    fail "block 0 after fsync"

step "the kernel log"
dmesg | grep hvblk
blk_no_errors
grep hvblk /proc/interrupts || fail "no hvblk interrupt"
echo "blk_roundtrip: OK"
