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
# The dd rows are the median of hvtest_blk_reps runs (default 3), whose
# times a line before each BENCH shows:
#   BENCHRUNS <name> <elapsed_ns> ...
# A run's time includes whatever else both kernels do meanwhile (a timer,
# the driver domain's housekeeping): under -icount that is deterministic
# for one build but lands in a different run after any code change, and
# one such landing moved a single-run figure by 4 %.
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
#   hvtest_blk_reps=N    runs of each dd row, the median reported (odd)
. /usr/share/hvtest/common.sh
# fio's up-front mappings exceed the heuristic overcommit check in a
# 64 MiB guest (see disk_fio.sh).
echo 1 > /proc/sys/vm/overcommit_memory

scratch=/dev/hvblk1
fio_s=3
only=""
reps=3
for word in $(cat /proc/cmdline); do
    case $word in
    hvtest_scratch=*) scratch=${word#hvtest_scratch=} ;;
    hvtest_fio_s=*) fio_s=${word#hvtest_fio_s=} ;;
    hvtest_blk_only=*) only=${word#hvtest_blk_only=} ;;
    hvtest_blk_reps=*) reps=${word#hvtest_blk_reps=} ;;
    esac
done
case $reps in
[1-9] | [1-9][0-9]) [ $((reps % 2)) -eq 1 ] ||
    fail "hvtest_blk_reps=$reps: must be odd (a median)" ;;
*) fail "hvtest_blk_reps=$reps: must be 1 to 99" ;;
esac
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

# now VAR: CLOCK_MONOTONIC in ns into VAR, from /proc/timer_list's third
# line, "now at N nsecs" (busybox's dd prints no time and its date no
# nanoseconds). Shell builtins only: a $(...) or an awk here would put a
# fork and an exec of the timing itself inside every timed window.
now() {
    { read -r _; read -r _; read -r _now; } </proc/timer_list
    case $_now in
    "now at "*" nsecs") _now=${_now#now at } ;;
    *) fail "no 'now at N nsecs' on line 3 of /proc/timer_list: $_now" ;;
    esac
    eval "$1=\${_now% nsecs}"
}
now _t
case $_t in
'' | *[!0-9]*) fail "/proc/timer_list: 'now at $_t nsecs' is no number" ;;
esac

# dd_bench NAME ARGS...: dd, timed with now around it.
# wanted NAME: true unless hvtest_blk_only= names others (a profile of
# one benchmark).
wanted() {
    [ -z "$only" ] || echo ",$only," | grep -q ",$1,"
}

# median NS...: the middle value (an odd count).
median() {
    printf "%s\n" "$@" | sort -n | awk -v n=$# 'NR == (n + 1) / 2'
}

# bench_line NAME NS...: BENCHRUNS with every run, BENCH with the median.
bench_line() {
    name=$1
    shift
    echo "BENCHRUNS $name $*"
    awk -v n="$name" -v ns="$(median "$@")" 'BEGIN {
        printf "BENCH %s 32 %.0f %.0f\n", n, ns, ns / 32 }'
}

dd_bench() {
    name=$1
    shift
    wanted "$name" || return 0
    echo "+ dd $* ($reps runs)"
    snap
    runs=""
    for rep in $(seq "$reps"); do
        now t0
        out=$(dd "$@" 2>&1) || fail "$name: dd $* failed: $out"
        now t1
        echo "$out" | grep -q "^32+0 records out" ||
            fail "$name: dd did not copy 32 MiB: $out"
        runs="$runs $((t1 - t0))"
    done
    blk=$(blkstat "$name")
    echo "$out"
    bench_line "$name" $runs
    echo "$blk"
}

# dd_steady NAME ARGS...: the 32 MiB of NAME as a 40 MiB dd minus an
# 8 MiB one (ARGS without count=), both timed like dd_bench, per run.
dd_steady() {
    name=$1
    shift
    wanted "$name" || return 0
    runs=""
    for rep in $(seq "$reps"); do
        for mib in 8 40; do
            echo "+ dd $* count=$mib"
            now t0
            out=$(dd "$@" count=$mib 2>&1) || fail "$name: dd $* failed: $out"
            now t1
            echo "$out" | grep -q "^$mib+0 records out" ||
                fail "$name: dd did not copy $mib MiB"
            eval "ns_$mib=$((t1 - t0))"
        done
        [ "$ns_40" -gt "$ns_8" ] || fail "$name: 40 MiB took no longer than 8"
        runs="$runs $((ns_40 - ns_8))"
    done
    bench_line "$name" $runs
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
