#!/bin/sh
# SPDX-License-Identifier: MIT
# bench: fixed-size benchmarks for an external harness, one line each:
#   BENCH <name> <iterations> <elapsed_ns> <ns_per_op>
# Sizes are small: the guest may run under an emulator.
# Kernel command line:
#   hvtest_bench_only=A,B  only the benchmarks named (getppid, fork, pipe,
#                          faults, forkexec, hackbench, sysbench_cpu,
#                          sysbench_threads, sysbench_memory): a profile
#                          of one
# Each benchmark runs between two `hvbench mark` lines (MARK begin:NAME,
# MARK end:NAME), each of which executes hvbench's marker instruction:
# scripts/bench-linux's QEMU plugin counts exceptions and CP15 writes
# between them.
. /usr/share/hvtest/common.sh

only=""
for word in $(cat /proc/cmdline); do
    case $word in
    hvtest_bench_only=*) only=${word#hvtest_bench_only=} ;;
    esac
done

# wanted NAME: true unless hvtest_bench_only= names others.
wanted() {
    [ -z "$only" ] || echo ",$only," | grep -q ",$1,"
}

# marked NAME COMMAND...: COMMAND between the two marks of NAME.
marked() {
    name=$1
    shift
    hvbench mark "begin:$name" || fail "hvbench mark begin:$name failed"
    "$@"
    status=$?
    hvbench mark "end:$name" || fail "hvbench mark end:$name failed"
    return $status
}

# bench_line NAME ITERATIONS SECONDS (a decimal number)
bench_line() {
    awk -v n="$1" -v it="$2" -v s="$3" 'BEGIN {
        ns = s * 1e9
        printf "BENCH %s %d %.0f %.0f\n", n, it, ns, ns / it
    }'
}

# Boot to /init, from /proc/uptime as /init started (exported by /init).
if [ -n "${HV_BOOT_UPTIME:-}" ]; then
    bench_line boot_to_shell_uptime_ns 1 "$HV_BOOT_UPTIME"
else
    echo "bench: HV_BOOT_UPTIME is not set (not started by /init?)"
fi

for b in getppid:20000 fork:200 pipe:2000 faults:4096 forkexec:100; do
    wanted "${b%:*}" || continue
    run "hvbench ${b%:*}" marked "${b%:*}" hvbench "${b%:*}" "${b#*:}"
done

# hackbench_line LOOPS: hackbench -p -g 2 -l LOOPS, which prints
# "Time: <seconds>".
hackbench_line() {
    out=$(marked "hackbench_pipe_g2_l$1" hackbench -p -g 2 -l "$1") ||
        fail "hackbench -p -g 2 -l $1 failed"
    echo "$out"
    t=$(echo "$out" | sed -n 's/^Time: *//p')
    [ -n "$t" ] || fail "no Time: line from hackbench -l $1"
    bench_line "hackbench_pipe_g2_l$1" 1 "$t"
}
if wanted hackbench; then
    hackbench_line 20
    # The same, five times longer: its time moves in steps of the 10 ms
    # tick's phase, which a longer run makes a smaller part of it.
    hackbench_line 100
fi

# sysbench prints "total time: <seconds>s" and "total number of events".
sysbench_line() {
    name=$1
    shift
    out=$(marked "$name" sysbench "$@") || fail "sysbench $* failed"
    echo "$out"
    t=$(echo "$out" | sed -n 's/^ *total time: *\([0-9.]*\)s.*/\1/p')
    ev=$(echo "$out" | sed -n 's/^ *total number of events: *\([0-9]*\).*/\1/p')
    [ -n "$t" ] && [ -n "$ev" ] && [ "$ev" -gt 0 ] ||
        fail "no total time / events from sysbench $*"
    bench_line "$name" "$ev" "$t"
}
if wanted sysbench_cpu; then
    sysbench_line sysbench_cpu_prime2000 cpu --cpu-max-prime=2000 --time=0 \
        --events=200 run
fi
if wanted sysbench_threads; then
    sysbench_line sysbench_threads_2 threads --threads=2 --time=0 \
        --events=200 run
fi
if wanted sysbench_memory; then
    sysbench_line sysbench_memory_8M memory --memory-total-size=8M run
fi

echo "bench: OK"
