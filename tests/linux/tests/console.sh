#!/bin/sh
# SPDX-License-Identifier: MIT
# console: the PV console /dev/hvc1 (hvc_hvcons, pvlinux 0023), served on
# the board's UART1 by the driver domain (hvconsback, 0024;
# tests/systems/linux-console.dts). Writes "hvcons line 1" .. "hvcons line
# N" (hvcons_lines=N on the command line, default 100; one every
# hvcons_pace_us=U microseconds, default none), which the runner checks
# all arrived on UART1 (--uart-numbered), then "hvcons: ready for input":
# the runner types "ping from the host" on UART1, which must come back
# here as one line; it is echoed to UART1 as "hvcons: echo ...". With the
# driver domain crashing and restarting on the way (hvdd_sysrq_after=),
# the lines written meanwhile wait in the ring: none may be lost.
. /usr/share/hvtest/common.sh

lines=100
pace=0
for word in $(cat /proc/cmdline); do
    case $word in
    hvcons_lines=*) lines=${word#hvcons_lines=} ;;
    hvcons_pace_us=*) pace=${word#hvcons_pace_us=} ;;
    esac
done

step "the PV console"
wait_path /dev/hvc1
dmesg | grep "hvc_hvcons:" || true
exec 3<>/dev/hvc1 || fail "cannot open /dev/hvc1"
run "stty raw -echo" stty -F /dev/hvc1 raw -echo

step "$lines lines to the PV console"
i=1
while [ $i -le $lines ]; do
    echo "hvcons line $i" >&3 || fail "write of line $i failed"
    [ "$pace" = 0 ] || usleep "$pace"
    i=$((i + 1))
done
echo "wrote $lines lines"

step "input from the UART"
echo "hvcons: ready for input" >&3
line=""
read -t 60 -r line <&3 || fail "no input line on /dev/hvc1 within 60 s"
line=${line%"$(printf '\r')"}
echo "hvcons: got '$line'"
[ "$line" = "ping from the host" ] || fail "the input line is '$line'"
echo "hvcons: echo $line" >&3
# hvc writes the echo out in its own time: give it to the UART first
sleep 1
dmesg | grep -E "hvc_hvcons|hvconsback" || true
echo "console: OK"
