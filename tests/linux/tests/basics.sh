#!/bin/sh
# SPDX-License-Identifier: MIT
# basics: uname, /proc/cpuinfo, /proc/interrupts, the mounts, hv's
# /sys/hypervisor/hv, a file in /tmp.
. /usr/share/hvtest/common.sh

step "uname"
u=$(uname -a) || fail "uname -a failed"
echo "$u"
case " $u " in *" Linux "*) ;; *) fail "uname -a does not say Linux: $u" ;; esac
case " $u " in *" armv7l "*) ;; *) fail "uname -a does not say armv7l: $u" ;; esac

step "/proc/cpuinfo"
grep -q '^processor' /proc/cpuinfo || fail "/proc/cpuinfo has no processor line"
grep -E '^(processor|model name|CPU part|Hardware)' /proc/cpuinfo

step "/proc/interrupts"
cat /proc/interrupts || fail "/proc/interrupts is not readable"
[ -s /proc/interrupts ] || [ "$(wc -l < /proc/interrupts)" -gt 0 ] ||
    fail "/proc/interrupts is empty"

step "mounts"
cat /proc/mounts
for m in "/proc proc" "/sys sysfs" "/tmp tmpfs" "/dev devtmpfs"; do
    grep -q " $m " /proc/mounts || fail "no '$m' mount in /proc/mounts"
done

step "/sys/hypervisor/hv"
id=$(cat /sys/hypervisor/hv/vm_id) || fail "no /sys/hypervisor/hv/vm_id"
restarts=$(cat /sys/hypervisor/hv/restarts) || fail "no /sys/hypervisor/hv/restarts"
echo "guest id $id, restarted $restarts times"
[ "$id" -ge 1 ] && [ "$id" -le 8 ] || fail "guest id $id is not 1-8"
[ "$restarts" = 0 ] || fail "a first life says it was restarted $restarts times"

step "a file in /tmp"
f=/tmp/basics.$$
seq 1 1000 > "$f" || fail "cannot write $f"
[ "$(wc -l < "$f")" -eq 1000 ] || fail "$f: wrong line count"
[ "$(tail -n 1 "$f")" = 1000 ] || fail "$f: wrong content"
echo "hello from the guest" > "$f" && [ "$(cat "$f")" = "hello from the guest" ] ||
    fail "$f: read back differs"
rm -f "$f" && [ ! -e "$f" ] || fail "cannot remove $f"

echo "basics: OK"
