#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_blk: block benchmarks on a raw scratch device for an external
# harness (scripts/bench-linux --block), the same on native Linux and in
# the PV guest. Destroys the scratch device's contents.
#   blk_seq_write_1M    dd 32 MiB of 1 MiB blocks, oflag=direct
#   blk_seq_read_1M     dd the same back, iflag=direct
#   blk_seq_write_1M_steady, blk_seq_read_1M_steady: the same 32 MiB as
#                       the difference of a 40 MiB and an 8 MiB dd: what
#                       one dd costs besides its I/O (the shell's fork
#                       and exec, the faults of dd's 1 MiB buffer, the
#                       timing helpers) cancels out
#   blk_rand_read_4k    fio randread, 4 KiB, libaio, iodepth 8, direct
#   blk_rand_write_4k   fio randwrite, the same
# each as one line
#   BENCH <name> <iterations> <elapsed_ns> <ns_per_op>
# (dd: iterations are MiB, ns_per_op ns per MiB; fio: iterations are the
# requests fio completed, ns_per_op the guest ns per request = 1e9/IOPS),
# and for each the device's interrupts per completed request:
#   BLKSTAT <name> <requests> <interrupts> <interrupts_per_request>
# requests: reads + writes completed (/sys/block/DEV/stat, fields 1 and
# 5) over the run; interrupts: the /proc/interrupts lines of the device
# (PV: the hv-evtchn line named after the hvblk device, i.e. the backend's
# notifications of the client; native: the mmci lines).
# Runs from the disk image (fio): hvroot=...
#
# Kernel command line:
#   hvtest_scratch=DEV   the raw scratch device (default /dev/hvblk1, the
#                        SD card's p2; natively /dev/mmcblk0p2)
#   hvtest_fio_s=S       guest seconds of each fio run (default 3)
#   hvtest_blk_only=A,B  only the benchmarks named (a profile of one)
. /usr/share/hvtest/common.sh
# fio's up-front mappings exceed the heuristic overcommit check in a
# 64 MiB guest (see disk_fio.sh).
echo 1 > /proc/sys/vm/overcommit_memory

scratch=/dev/hvblk1
fio_s=3
only=""
for word in $(cat /proc/cmdline); do
    case $word in
    hvtest_scratch=*) scratch=${word#hvtest_scratch=} ;;
    hvtest_fio_s=*) fio_s=${word#hvtest_fio_s=} ;;
    hvtest_blk_only=*) only=${word#hvtest_blk_only=} ;;
    esac
done
command -v fio >/dev/null ||
    fail "no fio: this test runs from the disk image (boot with hvroot=)"
[ -b "$scratch" ] || fail "no scratch device $scratch (hvtest_scratch=)"
awk -v d="$scratch" '$1 == d { f = 1 } END { exit !f }' /proc/mounts &&
    fail "$scratch is mounted: not a scratch device"
dev=${scratch#/dev/}
stat=/sys/class/block/$dev/stat
[ -r "$stat" ] || fail "no $stat"
sectors=$(cat "/sys/class/block/$dev/size")
[ $((sectors / 2048)) -ge 40 ] || fail "$scratch has less than 40 MiB"
echo "root: $(awk '$2 == "/" { r = $1 " (" $3 ")" } END { print r }' /proc/mounts)"
echo "scratch: $scratch, $((sectors / 2048)) MiB"

# The interrupt lines counted: the device's own (hvblkN), else the MMCI's.
if grep -qE " $dev\$" /proc/interrupts; then
    irq_re=" $dev\$"
else
    irq_re="mmci"
fi
echo "interrupts counted: /proc/interrupts lines matching '$irq_re':"
grep -E "$irq_re" /proc/interrupts

irqs() {
    awk -v re="$irq_re" '
        NR == 1 { ncpu = NF; next }
        $0 ~ re { for (i = 2; i <= ncpu + 1 && $i ~ /^[0-9]+$/; i++) s += $i }
        END { printf "%.0f\n", s }' /proc/interrupts
}
reqs() {
    awk '{ printf "%.0f\n", $1 + $5 }' "$stat"
}
snap() {
    snap_irq=$(irqs)
    snap_req=$(reqs)
}
# blkstat NAME: the line for what happened since snap.
blkstat() {
    i=$(($(irqs) - snap_irq))
    r=$(($(reqs) - snap_req))
    awk -v n="$1" -v r="$r" -v i="$i" 'BEGIN {
        printf "BLKSTAT %s %d %d %.3f\n", n, r, i, r ? i / r : 0 }'
}

# now_ns: CLOCK_MONOTONIC in ns, from /proc/timer_list's "now at N nsecs"
# (busybox's dd prints no time and its date no nanoseconds).
now_ns() {
    awk '/^now at [0-9]+ nsecs/ { print $3; exit }' /proc/timer_list
}
[ -n "$(now_ns)" ] || fail "no 'now at N nsecs' in /proc/timer_list"

# dd_bench NAME ARGS...: dd, timed with now_ns around it.
# wanted NAME: true unless hvtest_blk_only= names others (a profile of
# one benchmark).
wanted() {
    [ -z "$only" ] || echo ",$only," | grep -q ",$1,"
}

dd_bench() {
    name=$1
    shift
    wanted "$name" || return 0
    echo "+ dd $*"
    snap
    t0=$(now_ns)
    out=$(dd "$@" 2>&1) || fail "$name: dd $* failed: $out"
    t1=$(now_ns)
    blk=$(blkstat "$name")
    echo "$out"
    echo "$out" | grep -q "^32+0 records out" || fail "$name: dd did not copy 32 MiB"
    awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN {
        ns = b - a; printf "BENCH %s 32 %.0f %.0f\n", n, ns, ns / 32 }'
    echo "$blk"
}

# dd_steady NAME MiB ARGS...: the 32 MiB of NAME as a 40 MiB dd minus an
# 8 MiB one (ARGS without count=), both timed like dd_bench.
dd_steady() {
    name=$1
    shift
    wanted "$name" || return 0
    for mib in 8 40; do
        echo "+ dd $* count=$mib"
        t0=$(now_ns)
        out=$(dd "$@" count=$mib 2>&1) || fail "$name: dd $* failed: $out"
        t1=$(now_ns)
        echo "$out" | grep -q "^$mib+0 records out" ||
            fail "$name: dd did not copy $mib MiB"
        eval "ns_$mib=$((t1 - t0))"
    done
    [ "$ns_40" -gt "$ns_8" ] || fail "$name: 40 MiB took no longer than 8"
    awk -v n="$name" -v ns=$((ns_40 - ns_8)) 'BEGIN {
        printf "BENCH %s 32 %.0f %.0f\n", n, ns, ns / 32 }'
}

# fio_bench NAME RW: fio's terse (v3) line: fields 6-9 are the reads'
# KiB, KiB/s, IOPS and runtime (ms), 47-50 the writes'.
fio_bench() {
    name=$1
    wanted "$name" || return 0
    echo "+ fio $2 4k, $fio_s s"
    snap
    out=$(fio --name="$name" --filename="$scratch" --rw="$2" --bs=4k \
        --size=32M --iodepth=8 --ioengine=libaio --direct=1 --randrepeat=1 \
        --time_based --runtime="$fio_s" \
        --output-format=terse,normal --terse-version=3 2>&1) ||
        fail "$name: fio failed: $(echo "$out" | grep -m 1 -i error)"
    blk=$(blkstat "$name")
    echo "$out"
    echo "$out" | grep -q "err= *0" || fail "$name: no 'err= 0' in fio's report"
    line=$(echo "$out" | grep -m 1 "^3;fio")
    [ -n "$line" ] || fail "$name: no terse line from fio"
    echo "$line" | awk -F';' -v n="$name" -v rw="$2" '{
        f = (rw == "randread") ? 6 : 47
        ios = $f / 4; ms = $(f + 3)
        if (ios < 1 || ms < 1) exit 1
        printf "BENCH %s %d %.0f %.0f\n", n, ios, ms * 1e6, ms * 1e6 / ios
    }' || fail "$name: no I/O in fio's terse line"
    echo "$blk"
}

step "sequential: 32 MiB in 1 MiB blocks, O_DIRECT"
dd_bench blk_seq_write_1M if=/dev/zero of="$scratch" bs=1M count=32 oflag=direct
dd_bench blk_seq_read_1M if="$scratch" of=/dev/null bs=1M count=32 iflag=direct
dd_steady blk_seq_write_1M_steady if=/dev/zero of="$scratch" bs=1M oflag=direct
dd_steady blk_seq_read_1M_steady if="$scratch" of=/dev/null bs=1M iflag=direct
step "random 4 KiB: fio libaio, iodepth 8, O_DIRECT, $fio_s s each"
fio_bench blk_rand_read_4k randread
fio_bench blk_rand_write_4k randwrite
echo "bench_blk: OK"
