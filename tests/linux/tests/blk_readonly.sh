#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_readonly: the manifest makes the device read-only; the driver marks
# the disk read-only, a write fails, reads work.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

step "the device"
blk_wait hvblk0
dmesg | grep -q "hvblk0: $BLK_SECTORS sectors of 512 bytes.* read-only" ||
    fail "hvblk0's connect line does not say read-only"
[ "$(cat /sys/block/hvblk0/ro)" = 1 ] || fail "/sys/block/hvblk0/ro is not 1"

step "a read"
blk_read hvblk0 /tmp/r1
[ "$(md5 /tmp/r1)" = $BLK_PRISTINE ] || fail "the disk is not the backend's pattern"

step "a write fails"
dd if=/dev/zero of=/tmp/z bs=4096 count=1 2>/dev/null
if dd if=/tmp/z of=/dev/hvblk0 bs=4096 count=1 oflag=direct conv=notrunc 2>/tmp/dd.err; then
    fail "a write to the read-only disk succeeded"
fi
cat /tmp/dd.err
grep -qE 'Operation not permitted|Read-only|Permission denied' /tmp/dd.err ||
    fail "the write failed, but not as refused: $(cat /tmp/dd.err)"
blk_read hvblk0 /tmp/r2
[ "$(md5 /tmp/r2)" = $BLK_PRISTINE ] || fail "the disk changed"
echo "blk_readonly: OK"
