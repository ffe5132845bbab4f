#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_backend_changed: the backend (role blkback, crash=N evil_info=1,
# on-crash = "restart") crashes in a stream of writes and comes back
# offering another device (half the capacity). The frontend must not
# take it for the disk it has: it reports the ring broken ("device
# description"), holds the request, fails it after hvblk.giveup_s (1 s
# here), and the fresh connection after that is refused too ("offers
# another device"): the disk fails I/O from then on, at once, without a
# hang, a crash or data written to the wrong device.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

step "the device"
blk_pristine hvblk0
sectors=$(cat /sys/block/hvblk0/size)
echo "hvblk0: $sectors sectors"

step "writes through the crash: the second life offers another device"
blk_write_fails hvblk0 "through a backend that changed its device"
dmesg | grep -q 'hvblk0: backend broke the ring (device description' ||
    fail "no broken-ring line naming the device description"
dmesg | grep -q 'hvblk0: gave up on the backend after 1 s: 1 requests failed' ||
    fail "no give-up line for hvblk0"
dmesg | grep -q 'hvblk0: backend back' &&
    fail "the frontend took the changed backend back"

step "the disk stays dead: I/O fails at once"
# The reconnection after the give-up runs from a workqueue: wait for it.
i=0
until dmesg | grep -q 'hvblk0: the new backend offers another device'; do
    i=$((i + 1))
    [ $i -le 50 ] || fail "no refusal of the new backend's device in 5 s"
    sleep 0.1
done
dmesg | grep 'hvblk0: the new backend offers another device'
if dd if=/dev/hvblk0 of=/tmp/r1 bs=4096 count=1 iflag=direct 2>/tmp/dd2.err; then
    fail "a read succeeded on the dead disk"
fi
cat /tmp/dd2.err
grep -q 'Input/output error' /tmp/dd2.err || fail "the read did not fail with EIO"
[ "$(cat /sys/block/hvblk0/size)" = "$sectors" ] ||
    fail "the disk's size changed to $(cat /sys/block/hvblk0/size)"

step "the kernel log"
dmesg | grep hvblk
echo "blk_backend_changed: OK"
