#!/bin/sh
# SPDX-License-Identifier: MIT
# net_iperf_peer: the other guest of net_iperf (README system): eth0 at
# 10.0.2.101, an iperf3 server for the first guest (port 5201, one test),
# then one for the host (port 5202, reached through QEMU's hostfwd, one
# test); once the host's test is over, /host-done on its web server
# holds what the server measured. Never ends: the first guest's end
# halts the run.
. /usr/share/hvtest/common.sh

wait_path /sys/class/net/eth0
run "eth0 up" ip link set eth0 up
run "eth0 address" ip addr add 10.0.2.101/24 dev eth0
ip route add default via 10.0.2.2 || fail "no default route"
mkdir -p /www
run "httpd" httpd -p 80 -h /www
# One after the other: the host's client (through QEMU's hostfwd, and the
# driver domain's bridge) must not run beside the first guest's
# measurements; it retries until this server is up.
echo "net_iperf_peer: iperf3 server at 10.0.2.101:5201, then :5202"
iperf3 -s -1 -p 5201 -f m > /tmp/guest.log 2>&1
echo "net_iperf_peer: iperf3 server at 10.0.2.101:5202"
iperf3 -s -1 -p 5202 -f m > /tmp/host.log 2>&1
rate=$(awk '/receiver$/ { print $7 }' /tmp/host.log)
echo "net_iperf_peer: host -> guest: ${rate:-?} Mbits/sec"
echo "host -> guest: ${rate:-?} Mbits/sec" > /www/host-done
wait
while :; do sleep 3600; done
