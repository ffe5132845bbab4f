#!/bin/sh
# SPDX-License-Identifier: MIT
# linux.driver_domain_sd: the driver domain's own mmci driver found the SD
# card of the test image (tests/linux/tools/make-test-sd.py): mmcblk0 with
# its two partitions of the right sizes, partition 1's first bytes the
# pattern, and the MMCI's interrupts (GIC IDs bound to event ports) fired.
. /usr/share/hvtest/common.sh

i=0
while [ ! -e /sys/class/block/mmcblk0p2 ]; do
    i=$((i + 1))
    [ $i -le 100 ] || fail "no mmcblk0p2 after 10 s: $(ls /sys/class/block | tr '\n' ' ')"
    sleep 0.1
done
echo "driver_domain_sd: block devices: $(ls /sys/class/block | tr '\n' ' ')"
echo "driver_domain_sd: mmc0: $(cat /sys/class/mmc_host/mmc0/mmc0:*/type 2>/dev/null) $(cat /sys/class/mmc_host/mmc0/mmc0:*/name 2>/dev/null)"
disk=$(cat /sys/class/block/mmcblk0/size)
p1=$(cat /sys/class/block/mmcblk0p1/size)
p1start=$(cat /sys/class/block/mmcblk0p1/start)
p2=$(cat /sys/class/block/mmcblk0p2/size)
echo "driver_domain_sd: mmcblk0 $disk sectors, p1 $p1 at $p1start, p2 $p2"
[ "$disk" = 131072 ] || fail "mmcblk0 has $disk sectors, not 131072 (64 MiB)"
[ "$p1" = 128 ] && [ "$p1start" = 2048 ] || fail "mmcblk0p1 is $p1 sectors at $p1start, not 128 at 2048"
[ "$p2" = 126976 ] || fail "mmcblk0p2 has $p2 sectors, not 126976"
# Sector 1 of p1: byte b is 1 * 7 + b * 13 + 1.
got=$(dd if=/dev/mmcblk0p1 bs=512 skip=1 count=1 2>/dev/null | od -An -tx1 -N4 | tr -d ' \n')
[ "$got" = 0815222f ] || fail "mmcblk0p1 sector 1 starts $got, not 0815222f"
# A write and a read back through the card (partition 2, not the pattern).
echo hv-sd-write-check | dd of=/dev/mmcblk0p2 bs=512 seek=100 conv=sync,fsync 2>/dev/null
echo 3 > /proc/sys/vm/drop_caches
back=$(dd if=/dev/mmcblk0p2 bs=512 skip=100 count=1 2>/dev/null | head -c 17)
[ "$back" = hv-sd-write-check ] || fail "read back '$back' after a write to mmcblk0p2"
irqs=$(grep -i mmci /proc/interrupts)
echo "driver_domain_sd: $irqs" | tr -s ' '
n=$(echo "$irqs" | awk '{s += $2} END {print s + 0}')
[ "$n" -gt 0 ] || fail "no MMCI interrupt counted in /proc/interrupts"
echo "driver_domain_sd: ok"
