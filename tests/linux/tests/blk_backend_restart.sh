#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_backend_restart: the backend (role blkback, crash=N, on-crash =
# "restart") crashes at its N-th request, after doing it and before
# answering it, in the middle of a stream of 4 KiB O_DIRECT writes; the
# monitor restarts it and the new life replays the unanswered request
# from the ring. No request may fail, and the data must show the replay:
# the RAM disk starts over in each life of the backend, so the blocks
# answered by the first life are pristine again, and the block whose
# request was replayed and every one after it hold what was written.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

step "the device"
blk_wait hvblk0

step "the pristine disk (first life)"
blk_read hvblk0 /tmp/pristine
[ "$(md5 /tmp/pristine)" = $BLK_PRISTINE ] || fail "the disk is not the backend's pattern"

step "writes through the crash: 16 x 4 KiB, O_DIRECT, one at a time"
dd if=/dev/urandom of=/tmp/p1 bs=4096 count=$BLK_BLOCKS 2>/dev/null
run "write" dd if=/tmp/p1 of=/dev/hvblk0 bs=4096 oflag=direct
dmesg | grep -q 'hvblk0: backend down' || fail "the backend did not go down"
dmesg | grep -q 'hvblk0: backend back' || fail "the backend did not come back"

step "read back (second life)"
blk_read hvblk0 /tmp/r1
first=""
b=0
for pristine in $BLK_PRISTINE_BLOCKS; do
    got=$(md5 /tmp/r1 bs=4096 skip=$b count=1)
    wrote=$(md5 /tmp/p1 bs=4096 skip=$b count=1)
    if [ "$got" = "$wrote" ]; then
        what=written
        [ -n "$first" ] || first=$b
    elif [ "$got" = "$pristine" ]; then
        what=pristine
        [ -z "$first" ] || fail "block $b pristine after written block $first"
    else
        fail "block $b is neither written nor pristine"
    fi
    echo "block $b: $what"
    b=$((b + 1))
done
[ -n "$first" ] || fail "no written block: the replayed write is lost"
[ "$first" -gt 0 ] || fail "every block written: no crash in the write stream"
echo "the first life answered blocks 0-$((first - 1)); block $first was replayed"

step "the second life serves on: write and read back"
dd if=/dev/urandom of=/tmp/p2 bs=4096 count=$BLK_BLOCKS 2>/dev/null
run "write" dd if=/tmp/p2 of=/dev/hvblk0 bs=8192 oflag=direct
blk_read hvblk0 /tmp/r2
run "compare" cmp /tmp/p2 /tmp/r2

step "the kernel log"
dmesg | grep hvblk
blk_no_errors
echo "blk_backend_restart: OK"
