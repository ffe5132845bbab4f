#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_two: two block devices, each served by its own backend guest:
# /dev/hvblk0 and /dev/hvblk1 hold different data independently.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

step "the devices"
blk_wait hvblk0
blk_wait hvblk1

step "different data on each, at once"
dd if=/dev/urandom of=/tmp/p0 bs=4096 count=$BLK_BLOCKS 2>/dev/null
dd if=/dev/urandom of=/tmp/p1 bs=4096 count=$BLK_BLOCKS 2>/dev/null
dd if=/tmp/p0 of=/dev/hvblk0 bs=4096 oflag=direct 2>/dev/null &
dd if=/tmp/p1 of=/dev/hvblk1 bs=4096 oflag=direct 2>/dev/null &
wait
blk_read hvblk0 /tmp/r0
blk_read hvblk1 /tmp/r1
run "compare hvblk0" cmp /tmp/p0 /tmp/r0
run "compare hvblk1" cmp /tmp/p1 /tmp/r1
cmp -s /tmp/r0 /tmp/r1 && fail "both disks hold the same data"
dmesg | grep hvblk
blk_no_errors
echo "blk_two: OK"
