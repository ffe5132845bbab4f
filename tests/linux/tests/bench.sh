#!/bin/sh
# SPDX-License-Identifier: MIT
# bench: fixed-size benchmarks for an external harness, one line each:
#   BENCH <name> <iterations> <elapsed_ns> <ns_per_op>
# Sizes are small: the guest may run under an emulator.
. /usr/share/hvtest/common.sh

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

run "hvbench getppid" hvbench getppid 20000
run "hvbench fork" hvbench fork 200
run "hvbench pipe" hvbench pipe 2000

# hackbench prints "Time: <seconds>".
out=$(hackbench -p -g 2 -l 20) || fail "hackbench -p -g 2 -l 20 failed"
echo "$out"
t=$(echo "$out" | sed -n 's/^Time: *//p')
[ -n "$t" ] || fail "no Time: line from hackbench"
bench_line hackbench_pipe_g2_l20 1 "$t"
# The same, five times longer: its time moves in steps of the 10 ms
# tick's phase, which a longer run makes a smaller part of it.
out=$(hackbench -p -g 2 -l 100) || fail "hackbench -p -g 2 -l 100 failed"
echo "$out"
t=$(echo "$out" | sed -n 's/^Time: *//p')
[ -n "$t" ] || fail "no Time: line from hackbench -l 100"
bench_line hackbench_pipe_g2_l100 1 "$t"

# sysbench prints "total time: <seconds>s" and "total number of events".
sysbench_line() {
    name=$1
    shift
    out=$(sysbench "$@") || fail "sysbench $* failed"
    echo "$out"
    t=$(echo "$out" | sed -n 's/^ *total time: *\([0-9.]*\)s.*/\1/p')
    ev=$(echo "$out" | sed -n 's/^ *total number of events: *\([0-9]*\).*/\1/p')
    [ -n "$t" ] && [ -n "$ev" ] && [ "$ev" -gt 0 ] ||
        fail "no total time / events from sysbench $*"
    bench_line "$name" "$ev" "$t"
}
sysbench_line sysbench_cpu_prime2000 cpu --cpu-max-prime=2000 --time=0 \
    --events=200 run
sysbench_line sysbench_threads_2 threads --threads=2 --time=0 --events=200 run
sysbench_line sysbench_memory_8M memory --memory-total-size=8M run

echo "bench: OK"
