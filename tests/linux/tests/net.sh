#!/bin/sh
# SPDX-License-Identifier: MIT
# net: the PV network interface eth0 (hvnet, pvlinux 0025), bridged by
# the driver domain (hvnetback) with the board's LAN9118 into QEMU's user
# network (tests/systems/linux-net.dts). eth0 has the manifest's MAC
# (hvnet_mac= on the command line), gets a lease from QEMU's DHCP server
# through the bridge, and pings QEMU's gateway, 10.0.2.2 (hvnet_ping=N
# pings, default 3; 0 skips).
. /usr/share/hvtest/common.sh

mac=""
pings=3
for word in $(cat /proc/cmdline); do
    case $word in
    hvnet_mac=*) mac=${word#hvnet_mac=} ;;
    hvnet_ping=*) pings=${word#hvnet_ping=} ;;
    esac
done

step "the interface"
wait_path /sys/class/net/eth0
# connected once the driver domain's backend is up in its bridge
n=0
until dmesg | grep -q "eth0: connected to guest"; do
    n=$((n + 1))
    [ $n -lt 300 ] || fail "eth0 not connected after 30 s"
    sleep 0.1
done
dmesg | grep -E "hvnet|eth0: connected" || true
have=$(cat /sys/class/net/eth0/address)
echo "eth0: MAC $have"
[ -z "$mac" ] || [ "$have" = "$mac" ] || fail "eth0's MAC is $have, not $mac"
run "eth0 up" ip link set eth0 up

step "DHCP through the driver domain's bridge"
udhcpc -i eth0 -n -q -t 20 -T 1 -s /usr/share/udhcpc/default.script ||
    fail "no DHCP lease on eth0"
ip -4 addr show dev eth0
ip route

if [ "$pings" != 0 ]; then
    step "ping the gateway"
    out=$(ping -c "$pings" -W 3 10.0.2.2 2>&1)
    echo "$out"
    echo "$out" | grep -q " $pings packets received" ||
        fail "ping 10.0.2.2: not all $pings answered"
fi

step "counters"
for c in tx_packets rx_packets tx_dropped rx_dropped rx_errors tx_errors; do
    echo "eth0 $c $(cat /sys/class/net/eth0/statistics/$c)"
done
echo "net: OK"
