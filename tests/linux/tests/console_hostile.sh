#!/bin/sh
# SPDX-License-Identifier: MIT
# console_hostile: the PV console /dev/hvc1 (hvc_hvcons, pvlinux 0023)
# against a hostile backend, the test guest's role consback_evil
# (tests/systems/linux-console-hostile-backend.dts). The backend serves
# honestly at first: 10 lines out, a line of input back (with 512 random
# bytes after it). On "hvcons-hostile: break now" it breaks the ring (an
# in_prod far past what the in ring holds, or an out_cons past out_prod
# or moved back), sends a flood of events, and later storms: indexes and
# input bytes rewritten at random, events between.
#
# The kernel must say so once ("hvc1: the backend (guest N) broke the
# ring: output is dropped from now on") and carry on: every write to
# /dev/hvc1 returns (each under busybox timeout: a hang is a failure,
# not a stuck test), the tty closes and opens again, processes run. The
# lines written after the report say "after the report": the backend
# looks for them in the page, where a frontend that called the ring
# broken must not put them.
. /usr/share/hvtest/common.sh

report='hvc_hvcons: hvc1: the backend (guest [0-9]*) broke the ring: output is dropped from now on'

# put TEXT: one line to the console on fd 3, which must return in 10 s.
put() {
    timeout 10 sh -c 'echo "$1" >&3' put "$1" ||
        fail "a write to /dev/hvc1 did not return within 10 s ('$1')"
}

step "the PV console"
wait_path /dev/hvc1
n=0
while ! dmesg | grep -q 'hvc_hvcons: hvc1: connected to guest' &&
    [ $n -lt 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
dmesg | grep 'hvc_hvcons:' | sed 's/^/dmesg: /' || true
dmesg | grep -q 'hvc_hvcons: hvc1: connected to guest' ||
    fail "hvc1 not connected to its backend after 30 s"
timeout 5 true || fail "busybox timeout does not work here"
exec 3<>/dev/hvc1 || fail "cannot open /dev/hvc1"
# raw: no echo of the backend's bytes, no signal or flow control from them
run "stty raw -echo" stty -F /dev/hvc1 raw -echo

step "served honestly: lines out, a line in"
i=1
while [ $i -le 10 ]; do
    put "hvcons-hostile: line $i"
    i=$((i + 1))
done
put "hvcons-hostile: ready for input"
line=""
read -t 20 -r line <&3 || fail "no input line on /dev/hvc1 within 20 s"
line=${line%"$(printf '\r')"}
echo "hvcons-hostile: got '$line'"
[ "$line" = "hello from the backend" ] || fail "the input line is '$line'"

step "the backend breaks the ring"
put "hvcons-hostile: break now"
# An index of the out ring is read when we write, one of the in ring
# when hvc polls for input: whichever the backend broke, probes find it.
i=1
while ! dmesg | grep -q "$report"; do
    [ $i -le 100 ] || fail "no report of the broken ring after 100 probes"
    put "hvcons-hostile: probe $i"
    sleep 0.2
    i=$((i + 1))
done
echo "console_hostile: the report came after $((i - 1)) probes"

step "writes after the report return, and go nowhere"
timeout 30 sh -c '
    i=1
    while [ $i -le 200 ]; do
        echo "hvcons-hostile: after the report $i" >&3 || exit 1
        i=$((i + 1))
    done' || fail "200 lines after the report did not all return in 30 s"
i=0
while [ $i -lt 100 ]; do
    echo "hvcons-hostile: after the report (bulk) ......................"
    i=$((i + 1))
done > /tmp/bulk
timeout 30 dd if=/tmp/bulk bs=4096 >&3 2>/tmp/dd.err ||
    fail "a bulk write after the report did not return in 30 s: $(cat /tmp/dd.err)"
echo "console_hostile: $(wc -c < /tmp/bulk) bytes written in bulk"
# meanwhile the backend storms: writes keep returning for 3 s
timeout 30 sh -c '
    read -r up _ < /proc/uptime
    end=$((${up%.*} + 3))
    n=0
    while :; do
        read -r up _ < /proc/uptime
        [ "${up%.*}" -lt "$end" ] || break
        echo "hvcons-hostile: after the report (storm) $n" >&3 || exit 1
        n=$((n + 1))
    done
    echo "console_hostile: $n writes in 3 s"' ||
    fail "writes during the storm did not all return in 30 s"

step "the tty closes and opens again"
# The shell's own close cannot run under timeout: a watchdog says so,
# on the console (not on init's pipe, which it would hold open).
(
    exec 3>&- >/dev/console 2>&1
    sleep 15
    echo "FAIL: closing /dev/hvc1 did not return in 15 s"
) &
watchdog=$!
exec 3>&-
kill $watchdog 2>/dev/null
timeout 10 sh -c '
    exec 4<>/dev/hvc1 || exit 1
    echo "hvcons-hostile: after the report (reopened)" >&4 || exit 1
    exec 4>&-' || fail "reopening /dev/hvc1 failed or hung"

kernel_carries_on console_hostile
grep hvc1 /proc/interrupts || fail "hvc1 has no interrupt line"
n=$(dmesg | grep -c "hvc_hvcons: hvc1: the backend .* broke the ring")
echo "console_hostile: the broken ring reported $n time(s)"
[ "$n" = 1 ] || fail "the broken ring was reported $n times"
if dmesg | grep -E "Oops|BUG:|WARNING:|hvc_hvcons: .*cannot"; then
    fail "the kernel complained"
fi
echo "console_hostile: OK"
