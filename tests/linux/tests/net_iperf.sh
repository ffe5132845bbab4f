#!/bin/sh
# SPDX-License-Identifier: MIT
# net_iperf: TCP through the driver domain's bridge, run on the README
# system (tests/systems/linux.dts, both guests' roots on the PV disk,
# where iperf3 is). This guest (eth0, 10.0.2.100) measures
#   - guest -> host: iperf3 to the host's iperf3 server through QEMU's
#     user network (10.0.2.2:PORT, hvnet_host_port=PORT; the runner's
#     --host-run starts the server);
#   - guest -> guest: iperf3 to the peer (net_iperf_peer.sh, 10.0.2.101,
#     port 5201);
#   - the round trip to the peer (20 pings);
#   - the round trip to QEMU's gateway (20 pings);
#   - host -> guest: iperf3 -R (the host's server sends) to a second
#     server on the host, hvnet_host_rport=PORT, if given;
# then waits until the peer says the host's own iperf3 client (through
# QEMU's hostfwd to 10.0.2.101:5202) finished. Each figure is printed as
# "net_iperf: <what>: <number> <unit>" (scripts/bench-net reads them).
# hvnet_secs=S: each iperf3 run's length (default 3). hvnet_peer=none:
# no peer (native Linux on the board's NIC, scripts/bench-net): only the
# host's server and the gateway.
. /usr/share/hvtest/common.sh

host_port=""
host_rport=""
secs=3
peer=10.0.2.101
for word in $(cat /proc/cmdline); do
    case $word in
    hvnet_host_port=*) host_port=${word#hvnet_host_port=} ;;
    hvnet_host_rport=*) host_rport=${word#hvnet_host_rport=} ;;
    hvnet_secs=*) secs=${word#hvnet_secs=} ;;
    hvnet_peer=*) peer=${word#hvnet_peer=} ;;
    esac
done
[ -n "$host_port" ] || fail "no hvnet_host_port= on the command line"

wait_path /sys/class/net/eth0
run "eth0 up" ip link set eth0 up
run "eth0 address" ip addr add 10.0.2.100/24 dev eth0
ip route add default via 10.0.2.2 || fail "no default route"

# iperf_send WHAT ADDRESS PORT [-R]: an iperf3 client for $secs s;
# retried while the server is not up yet or busy (up to 60 tries). The
# rate is the sender's, or with -R (the server sends) the receiver's:
# this guest's end either way.
iperf_send() {
    _n=0
    _end=sender
    [ "${4:-}" = -R ] && _end=receiver
    until iperf3 -c "$2" -p "$3" -t "$secs" -f m ${4:-} > /tmp/iperf.log 2>&1; do
        _n=$((_n + 1))
        [ $_n -lt 60 ] || { cat /tmp/iperf.log; fail "iperf3 to $2:$3"; }
        sleep 1
    done
    cat /tmp/iperf.log
    _rate=$(awk "/$_end\$/ { print \$7 }" /tmp/iperf.log)
    [ -n "$_rate" ] || fail "iperf3 to $2:$3: no $_end line"
    echo "net_iperf: $1: $_rate Mbits/sec"
}

# tx_frames: eth0's frames and bytes sent so far
tx_frames() {
    echo "$(cat /sys/class/net/eth0/statistics/tx_packets)" \
        "$(cat /sys/class/net/eth0/statistics/tx_bytes)"
}

step "guest -> host through QEMU's user network"
set -- $(tx_frames)
# the marks bound scripts/bench-net --profile's window (no-ops without it)
hvbench mark begin:guest_to_host || fail "hvbench mark failed"
iperf_send "guest -> host" 10.0.2.2 "$host_port"
hvbench mark end:guest_to_host || fail "hvbench mark failed"
set -- $1 $2 $(tx_frames)
# with TSO a frame is a TCP segment of many MTUs (hvnet's chains)
[ $3 -gt $1 ] && echo "net_iperf: eth0 sent $(($3 - $1)) frames, $((($4 - $2) / ($3 - $1))) bytes each"

# rtt WHAT ADDRESS: the mean of 20 pings' round trips
rtt() {
    ping -c 20 -i 0.2 "$2" > /tmp/ping.log 2>&1
    tail -2 /tmp/ping.log
    grep -q " 20 packets received" /tmp/ping.log || fail "pings to $2 lost"
    _ms=$(sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p' /tmp/ping.log)
    echo "net_iperf: $1 round trip: $_ms ms"
}

step "round trip to QEMU's gateway"
rtt "guest <-> gateway" 10.0.2.2

if [ -n "$host_rport" ]; then
    step "host -> guest through QEMU's user network (iperf3 -R)"
    iperf_send "host -> guest" 10.0.2.2 "$host_rport" -R
fi

if [ "$peer" = none ]; then
    echo "net_iperf: OK"
    exit 0
fi

step "guest -> guest through the bridge"
iperf_send "guest -> guest" "$peer" 5201

step "round trip to the peer"
rtt "guest <-> guest" "$peer"

step "the host's iperf3 client to the peer (hostfwd)"
n=0
until wget -q -O /tmp/host-done "http://$peer/host-done" 2>/dev/null; do
    n=$((n + 1))
    [ $n -lt 120 ] || fail "the peer never saw the host's iperf3 client"
    sleep 1
done
cat /tmp/host-done
# The host's client reads its report after the peer's server ends: give
# it 3 s before this guest's end halts the run (the test wants the
# client's "exit 0"; "killed" fails it).
sleep 3
echo "net_iperf: OK"
