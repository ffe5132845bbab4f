#!/bin/sh
# SPDX-License-Identifier: MIT
# blk_bench: /dev/hvblk0 throughput (guest time; under -icount a figure of
# instructions, not of the host): 16 MiB read and written with O_DIRECT,
# in 4 KiB and 44 KiB requests, one reader and four. Not a pass/fail
# test beyond the data read back.
. /usr/share/hvtest/common.sh
. /usr/share/hvtest/blk.sh

blk_wait hvblk0
# rate LABEL CS BYTES
rate() {
    echo "blk_bench: $1: $3 bytes in $(($2 / 100)).$(printf %02d $(($2 % 100))) s: $(($3 * 100 / 1024 / ($2 + 1))) KiB/s"
}
for bs in 4096 45056; do
    t0=$(uptime_cs)
    dd if=/dev/zero of=/dev/hvblk0 bs=$bs count=$((65536 / bs)) oflag=direct 2>/dev/null
    i=0
    while [ $i -lt 256 ]; do
        dd if=/dev/hvblk0 of=/dev/null bs=$bs iflag=direct 2>/dev/null
        i=$((i + 1))
    done
    t1=$(uptime_cs)
    rate "read, $bs-byte requests, 1 reader" $((t1 - t0)) 16777216
    t0=$(uptime_cs)
    for r in 0 1 2 3; do
        (i=0; while [ $i -lt 64 ]; do
            dd if=/dev/hvblk0 of=/dev/null bs=$bs iflag=direct 2>/dev/null
            i=$((i + 1)); done) &
    done
    wait
    t1=$(uptime_cs)
    rate "read, $bs-byte requests, 4 readers" $((t1 - t0)) 16777216
    t0=$(uptime_cs)
    i=0
    while [ $i -lt 256 ]; do
        dd if=/dev/zero of=/dev/hvblk0 bs=$bs count=$((65536 / bs)) oflag=direct 2>/dev/null
        i=$((i + 1))
    done
    t1=$(uptime_cs)
    rate "write, $bs-byte requests" $((t1 - t0)) $((256 * bs * (65536 / bs)))
done
blk_no_errors
echo "blk_bench: OK"
