#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_hostile: the backend turns hostile once in a stream of writes
# (blkback evil_id=N: a response with an id never issued; evil_prod=N: a
# rsp_prod beyond the requests). The frontend logs it, stops using that
# ring and holds the request; after hvblk.giveup_s (1 s here) the request
# fails with EIO, the frontend closes its side and connects again on a
# fresh ring, and the disk works again. The kernel does not crash and
# nothing completes twice.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

step "the device"
blk_pristine hvblk0

step "writes: the backend breaks the ring"
dd if=/dev/urandom of=/tmp/p1 bs=4096 count=$BLK_BLOCKS 2>/dev/null
if dd if=/tmp/p1 of=/dev/hvblk0 bs=4096 oflag=direct 2>/tmp/dd.err; then
    fail "every write succeeded on a broken ring"
fi
cat /tmp/dd.err
grep -q 'Input/output error' /tmp/dd.err || fail "the write did not fail with EIO"
dmesg | grep 'hvblk0: backend broke the ring' || fail "no broken-ring line"
[ "$(dmesg | grep -c 'hvblk0: backend broke the ring')" -eq 1 ] ||
    fail "the broken ring was reported more than once"
dmesg | grep -q 'hvblk0: gave up on the backend after 1 s: 1 requests failed' ||
    fail "no give-up line for hvblk0"

step "connected again on a new ring"
blk_wait_connects hvblk0 2
dd if=/dev/urandom of=/tmp/p2 bs=4096 count=$BLK_BLOCKS 2>/dev/null
run "write" dd if=/tmp/p2 of=/dev/hvblk0 bs=4096 oflag=direct
blk_read hvblk0 /tmp/r2
run "compare" cmp /tmp/p2 /tmp/r2
dmesg | grep hvblk0
echo "blk_hostile: OK"
