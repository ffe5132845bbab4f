#!/bin/sh
# SPDX-License-Identifier: MIT
# net_restart: the driver domain bridging two guests (linux-net2.dts)
# crashes and is restarted (hvdd_sysrq_after= on its command line) while
# this guest (eth0, 10.0.2.100) downloads a 6 MiB file from the peer
# (10.0.2.101: net_peer.sh) again and again for 6 s, each over its own
# TCP connection, and pings it once a second. Every download must come
# whole (its MD5 checked: the one the crash lands in included), eth0 must
# keep its name and MAC, and the pings lost are counted (reported; at
# most hvnet_max_lost=N, default 8).
. /usr/share/hvtest/common.sh

max_lost=8
for word in $(cat /proc/cmdline); do
    case $word in
    hvnet_max_lost=*) max_lost=${word#hvnet_max_lost=} ;;
    esac
done

wait_path /sys/class/net/eth0
mac=$(cat /sys/class/net/eth0/address)
run "eth0 up" ip link set eth0 up
run "eth0 address" ip addr add 10.0.2.100/24 dev eth0

step "the peer answers"
wait_ping 10.0.2.101
n=0
until wget -q -O /dev/null http://10.0.2.101/ 2>/dev/null ||
    wget -q -O /dev/null http://10.0.2.101/cgi-bin/none 2>&1 | grep -q 404; do
    n=$((n + 1))
    [ $n -lt 60 ] || fail "the peer's web server does not answer"
    sleep 0.5
done

step "downloads and pings through the driver domain's restart"
ping -c 15 -W 2 10.0.2.101 > /tmp/ping.log 2>&1 &
pinger=$!
wget -q -O /tmp/big.md5 http://10.0.2.101/big.md5 || fail "no big.md5"
want=$(cat /tmp/big.md5)
start=$(uptime_cs)
n=0
while [ $(($(uptime_cs) - start)) -lt 600 ]; do
    n=$((n + 1))
    rm -f /tmp/big
    wget -O /tmp/big http://10.0.2.101/big 2>/tmp/wget.err || {
        cat /tmp/wget.err
        fail "download $n failed"
    }
    have=$(md5sum /tmp/big | cut -d' ' -f1)
    [ "$have" = "$want" ] || fail "download $n: md5 $have, want $want"
    echo "download $n: 6 MiB, md5 right, at $(($(uptime_cs) - start))0 ms"
done
wait $pinger
tail -3 /tmp/ping.log
dmesg | grep -E "hvnet|eth0" | tail -3
echo "net_restart: $n downloads of 6 MiB in 6 s, each whole"
received=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.log)
lost=$((15 - ${received:-0}))
echo "net_restart: $lost of 15 pings lost across the restart"
[ $lost -le "$max_lost" ] || fail "$lost pings lost, more than $max_lost"
[ -d /sys/class/net/eth0 ] && [ "$(cat /sys/class/net/eth0/address)" = "$mac" ] ||
    fail "eth0 changed"
echo "eth0 still $mac"
echo "net_restart: OK"
