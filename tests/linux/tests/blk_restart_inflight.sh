#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_restart_inflight: the backend (crash=N, on-crash = "restart")
# crashes while 4 readers keep several requests in flight; the new life
# replays every unanswered one from the ring. No read fails, and every
# read returns the backend's data (pristine in both lives: nothing is
# written here).
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

step "the device"
blk_pristine hvblk0

step "4 readers x 3 passes, 4 KiB O_DIRECT, through the crash"
for r in 0 1 2 3; do
    (
        for pass in 0 1 2; do
            dd if=/dev/hvblk0 of=/tmp/r$r.$pass bs=4096 iflag=direct 2>/tmp/e$r.$pass ||
                echo "reader $r pass $pass failed: $(cat /tmp/e$r.$pass)"
        done
    ) > /tmp/reader$r.log 2>&1 &
done
wait
cat /tmp/reader?.log
[ -s /tmp/reader0.log ] || [ -s /tmp/reader1.log ] || [ -s /tmp/reader2.log ] ||
    [ -s /tmp/reader3.log ] && fail "a reader failed"
dmesg | grep 'hvblk0: backend'
dmesg | grep -q 'hvblk0: backend down' || fail "the backend did not go down"
dmesg | grep -q 'hvblk0: backend back' || fail "the backend did not come back"
held=$(dmesg | sed -n 's/.*hvblk0: backend down, \([0-9]*\) requests held.*/\1/p')
echo "requests held while the backend was down: $held"

step "every read is the backend's data"
for r in 0 1 2 3; do
    for pass in 0 1 2; do
        [ "$(md5 /tmp/r$r.$pass)" = $BLK_PRISTINE ] ||
            fail "reader $r pass $pass: wrong data"
    done
done

step "the kernel log"
blk_no_errors
echo "blk_restart_inflight: OK"
