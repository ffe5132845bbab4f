#!/bin/sh
# SPDX-License-Identifier: MIT
# timekeeping: the clocksource is hv's board counter (hv offers the
# guest clock on both boards), read without a trap; clock_gettime and
# gettimeofday run in the vDSO without a system call and agree with the
# kernel (vdsocheck); CLOCK_MONOTONIC never goes back in two processes
# reading it for 2 s (clockcheck); sleep 2 lasts 1.9-2.5 s by
# /proc/uptime; the timer interrupt count goes up meanwhile.
. /usr/share/hvtest/common.sh

step "clocksource"
cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
echo "current clocksource: $cs"
dmesg | grep "hv-timer:" || true
[ "$cs" = hv-counter ] || fail "the clocksource is $cs, not hv-counter"
step "clock reads in the vDSO"
vdsocheck || fail "vdsocheck failed"
step "CLOCK_MONOTONIC never goes back (2 processes, 2 s)"
clockcheck 2 || fail "clockcheck failed"

step "timer interrupts before"
timer_lines
irq0=$(timer_irqs)
[ "$irq0" != none ] || fail "no timer line in /proc/interrupts"
t0=$(uptime_cs)
sleep 2 || fail "sleep 2 failed"
t1=$(uptime_cs)
step "timer interrupts after"
timer_lines
irq1=$(timer_irqs)

dt=$((t1 - t0))
echo "sleep 2 took $((dt / 100)).$(printf %02d $((dt % 100))) s by /proc/uptime"
[ $dt -ge 190 ] || fail "sleep 2 took only ${dt}0 ms"
[ $dt -le 250 ] || fail "sleep 2 took ${dt}0 ms"
echo "timer interrupts: $irq0 -> $irq1"
[ "$irq1" -gt "$irq0" ] || fail "the timer interrupt count did not increase ($irq0 -> $irq1)"

if date +%s.%N 2>/dev/null | grep -q '^[0-9]*\.[0-9]\{9\}$'; then
    echo "date +%s.%N: $(date +%s.%N)"
fi
echo "timekeeping: OK"
