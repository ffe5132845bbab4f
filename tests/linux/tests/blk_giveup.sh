#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_giveup: the backend crashes in a stream of writes and comes back
# only after hvblk.giveup_s (1 s here, on the kernel command line): the
# held request fails (EIO, logged), the frontend closes its side so that
# the late backend cannot replay it, and connects again on a fresh ring;
# the disk then works again.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

step "the device"
[ "$(cat /sys/module/hvblk/parameters/giveup_s)" = 1 ] ||
    fail "hvblk.giveup_s is $(cat /sys/module/hvblk/parameters/giveup_s), not 1"
blk_wait hvblk0
blk_read hvblk0 /tmp/pristine

step "writes through the crash: the held one fails after 1 s"
blk_write_fails hvblk0 "the backend did not stay away"
dmesg | grep -q 'hvblk0: gave up on the backend after 1 s: 1 requests failed' ||
    fail "no give-up line for hvblk0"

step "the late backend: connected again on a new ring"
blk_wait_connects hvblk0 2
dmesg | grep hvblk0
dd if=/dev/urandom of=/tmp/p2 bs=32768 count=2 2>/dev/null
run "write" dd if=/tmp/p2 of=/dev/hvblk0 bs=32768 oflag=direct
dd if=/dev/hvblk0 of=/tmp/r2 bs=32768 iflag=direct 2>/dev/null
run "compare" cmp /tmp/p2 /tmp/r2
echo "blk_giveup: OK"
