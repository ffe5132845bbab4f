#!/bin/sh
# SPDX-License-Identifier: MIT
# net_hostile: the PV network interface eth0 (hvnet, pvlinux 0025) beside
# or against a hostile peer, the test guest.
#
# hvnet_hostile=bystander (tests/systems/linux-net-hostile-frontend.dts):
# an honest guest on the driver domain's bridge while the test guest
# (role netfront_evil) attacks hvnetback there. eth0 gets a DHCP lease
# through the bridge and pings QEMU's gateway hvnet_pings=N times (60),
# 0.25 s apart: every one must be answered.
#
# Otherwise (tests/systems/linux-net-hostile-backend.dts) the backend of
# eth0 is the test guest (role netback_evil), which answers ARP and pings
# for 10.0.2.2 honestly at first; asked for 10.0.2.99 it breaks the ring
# (a length past the buffer, a buffer past the ring, an index far ahead
# or moved back, random bytes: evil= on its command line), floods us with
# events and storms until we stop. The kernel must say so once ("eth0:
# the backend (guest N) broke the ring (...): frames are dropped from
# now on"), drop what is sent after (pings with the payload byte 0x5a,
# which the backend looks for in our transmit buffers), and carry on:
# every ping returns, the interface goes down and up, processes run.
. /usr/share/hvtest/common.sh

mode=""
pings=60
for word in $(cat /proc/cmdline); do
    case $word in
    hvnet_hostile=*) mode=${word#hvnet_hostile=} ;;
    hvnet_pings=*) pings=${word#hvnet_pings=} ;;
    esac
done

step "the interface"
wait_path /sys/class/net/eth0
echo "eth0: MAC $(cat /sys/class/net/eth0/address)"
run "eth0 up" ip link set eth0 up

counters() {
    for c in tx_packets rx_packets tx_dropped rx_dropped rx_errors tx_errors; do
        echo "eth0 $c $(cat /sys/class/net/eth0/statistics/$c)"
    done
}

if [ "$mode" = bystander ]; then
    step "DHCP through the driver domain's bridge"
    udhcpc -i eth0 -n -q -t 20 -T 1 -s /usr/share/udhcpc/default.script ||
        fail "no DHCP lease on eth0"
    step "$pings pings of the gateway while the other guest attacks"
    out=$(ping -c "$pings" -i 0.25 -W 5 10.0.2.2 2>&1)
    echo "$out" | tail -3
    got=$(echo "$out" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
    echo "net_hostile: ${got:-0} of $pings pings of 10.0.2.2 answered"
    [ "${got:-0}" = "$pings" ] || fail "only ${got:-0} of $pings pings answered"
    counters
    if dmesg | grep -E "Oops|BUG:|WARNING:|hvnet: .*cannot|eth0: .*broke"; then
        fail "the kernel complained"
    fi
    echo "net_hostile: OK"
    exit 0
fi

report='eth0: the backend (guest [0-9]*) broke the ring (.*): frames are dropped from now on'
run "eth0 address" ip addr add 10.0.2.15/24 dev eth0
n=0
while ! dmesg | grep -q 'eth0: connected to guest' && [ $n -lt 300 ]; do
    sleep 0.1
    n=$((n + 1))
done
dmesg | grep -q 'eth0: connected to guest' ||
    fail "eth0 not connected to its backend after 30 s"
timeout 5 true || fail "busybox timeout does not work here"

step "served honestly: ARP and pings"
out=$(timeout 30 ping -c 3 -W 3 10.0.2.2 2>&1)
echo "$out" | tail -2
echo "$out" | grep -q " 3 packets received" ||
    fail "ping 10.0.2.2: not all 3 answered by the backend"

step "the backend breaks the ring"
# The signal: an ARP request for 10.0.2.99, which nobody answers.
timeout 10 ping -c 1 -W 1 10.0.2.99 >/dev/null 2>&1
i=1
while ! dmesg | grep -q "$report"; do
    [ $i -le 30 ] || fail "no report of the broken ring after 30 probes"
    timeout 10 ping -c 1 -W 1 10.0.2.2 >/dev/null 2>&1
    i=$((i + 1))
done
dmesg | grep "broke the ring" | sed 's/^/dmesg: /'
echo "net_hostile: the report came after $((i - 1)) probes"

step "frames after the report go nowhere, and every call returns"
out=$(timeout 30 ping -c 5 -i 0.2 -W 1 -s 200 -p 5a 10.0.2.2 2>&1)
rc=$?
echo "$out" | tail -2
[ $rc -ne 143 ] && [ $rc -ne 124 ] || fail "ping after the report hung"
echo "$out" | grep -qiE "usage|invalid|unrecognized" &&
    fail "busybox ping does not take -p"
got=$(echo "$out" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
echo "net_hostile: ${got:-0} of 5 pings after the report answered"
[ "${got:-0}" = 0 ] || fail "pings answered through a broken ring"
carrier=$(cat /sys/class/net/eth0/carrier 2>/dev/null)
echo "net_hostile: eth0 carrier ${carrier:-unknown}"
[ "$carrier" = 0 ] || fail "eth0 still has a carrier on a broken ring"

step "the interface goes down and up"
# ip cannot be killed in the kernel: a watchdog says so, on the console.
(
    exec >/dev/console 2>&1
    sleep 15
    echo "FAIL: ip link set eth0 down/up did not return in 15 s"
) &
watchdog=$!
ip link set eth0 down || fail "eth0 does not go down"
ip link set eth0 up || fail "eth0 does not come up"
kill $watchdog 2>/dev/null
echo "net_hostile: eth0 went down and up"

kernel_carries_on net_hostile
grep eth0 /proc/interrupts || fail "eth0 has no interrupt line"
counters
n=$(dmesg | grep -c "eth0: the backend .* broke the ring")
echo "net_hostile: the broken ring reported $n time(s)"
[ "$n" = 1 ] || fail "the broken ring was reported $n times"
if dmesg | grep -E "Oops|BUG:|WARNING:|hvnet: .*cannot"; then
    fail "the kernel complained"
fi
echo "net_hostile: OK"
