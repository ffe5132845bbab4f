#!/bin/sh
# SPDX-License-Identifier: MIT
# net_separate: two guests whose interfaces the driver domain puts in two
# different bridges (tests/systems/linux-net2.dts with the peer's
# backend-device br1) are on two networks: this guest (eth0, 10.0.2.100,
# br0) sends the peer (net_peer.sh, 10.0.2.101, br1) 10 pings once the
# peer serves (the runner checks the order) and none may be answered; its
# ARP entry for the peer stays incomplete.
. /usr/share/hvtest/common.sh

wait_path /sys/class/net/eth0
run "eth0 up" ip link set eth0 up
run "eth0 address" ip addr add 10.0.2.100/24 dev eth0

step "wait until the peer serves (its own network)"
# net_peer makes 6 MiB of random bytes first: give it 20 s
sleep 20
step "10 pings across the two networks"
ping -c 10 -W 1 -w 15 10.0.2.101 > /tmp/ping.log 2>&1
tail -2 /tmp/ping.log
received=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.log)
echo "net_separate: ${received:-?} of 10 pings answered"
[ "${received:-x}" = 0 ] || fail "the peer on another bridge answered"
ip neigh show 10.0.2.101
ip neigh show 10.0.2.101 | grep -q lladdr &&
    fail "the peer's MAC was learnt across the networks"
echo "net_separate: OK"
