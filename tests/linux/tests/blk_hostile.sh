#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_hostile: the backend turns hostile once in a stream of writes
# (blkback evil_id=N: a response with an id never issued; evil_prod=N: a
# rsp_prod beyond the requests; evil_dup=N: request N answered with the
# id of request N - 1). The frontend logs it, stops using that ring and
# holds the request; after hvblk.giveup_s (1 s here) the held requests
# fail with EIO, the frontend closes its side and connects again on a
# fresh ring, and the disk works again. The kernel does not crash and
# nothing completes twice.
#
# blk_hostile=pairs on the kernel command line: every write is 64 KiB,
# which the block layer splits into two requests of 32 KiB
# (max_sectors_kb 32 here; a request may hold 108 KiB) in flight
# together, ids 0 and 1: consecutive requests always carry
# different ids, so a response with the id of the request before is a
# lie the frontend can see. (One 4 KiB write at a time, as without it,
# reuses id 0 for every request: the "duplicate" is then the right id.)
# Then one or two requests are held when the ring breaks.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

pairs=false
grep -q 'blk_hostile=pairs' /proc/cmdline && pairs=true

step "the device"
blk_pristine hvblk0
if $pairs; then
    echo 32 > /sys/block/hvblk0/queue/max_sectors_kb ||
        fail "cannot limit hvblk0's requests to 32 KiB"
    [ "$(cat /sys/block/hvblk0/queue/max_sectors_kb)" = 32 ] ||
        fail "hvblk0's max_sectors_kb is not 32"
fi

step "writes: the backend breaks the ring"
dd if=/dev/urandom of=/tmp/p1 bs=4096 count=$BLK_BLOCKS 2>/dev/null
if $pairs; then
    ok=true
    i=0
    while [ $i -lt 8 ]; do
        if ! dd if=/tmp/p1 of=/dev/hvblk0 bs=65536 count=1 oflag=direct \
            2>/tmp/dd.err; then
            ok=false
            break
        fi
        i=$((i + 1))
    done
    echo "64 KiB writes done before the failure: $i"
    if $ok; then
        fail "every write succeeded on a broken ring"
    fi
    held='[12]'
else
    if dd if=/tmp/p1 of=/dev/hvblk0 bs=4096 oflag=direct 2>/tmp/dd.err; then
        fail "every write succeeded on a broken ring"
    fi
    held=1
fi
cat /tmp/dd.err
grep -q 'Input/output error' /tmp/dd.err || fail "the write did not fail with EIO"
dmesg | grep 'hvblk0: backend broke the ring' || fail "no broken-ring line"
[ "$(dmesg | grep -c 'hvblk0: backend broke the ring')" -eq 1 ] ||
    fail "the broken ring was reported more than once"
dmesg | grep -q "hvblk0: gave up on the backend after 1 s: $held requests failed" ||
    fail "no give-up line for hvblk0"

step "connected again on a new ring"
blk_wait_connects hvblk0 2
dd if=/dev/urandom of=/tmp/p2 bs=4096 count=$BLK_BLOCKS 2>/dev/null
run "write" dd if=/tmp/p2 of=/dev/hvblk0 bs=4096 oflag=direct
blk_read hvblk0 /tmp/r2
run "compare" cmp /tmp/p2 /tmp/r2
dmesg | grep hvblk0
echo "blk_hostile: OK"
