#!/bin/sh
# SPDX-License-Identifier: MIT
# net_restart_tcp: the driver domain is killed and restarted (a test guest
# with may-kill, the manifest's on-crash restart) while this guest (eth0,
# 10.0.2.100) sends a TCP stream to an iperf3 server on the host through
# the bridge and QEMU's user network (10.0.2.2:PORT, hvnet_host_port=)
# for hvnet_secs= seconds (default 30), and pings the other guest
# (net_iperf_peer.sh, 10.0.2.101) five times a second. The stream starts
# at hvnet_start= seconds of uptime (default 20; later if the peer
# answers later), so that the killer's fixed times fall within it, and
# the restarts must indeed come during the stream: eth0's backend must
# attach again hvnet_restarts= times (default 3) meanwhile. The stream
# must finish (iperf3's exit status 0: the connection survived every
# restart), eth0 keep its name and MAC, and the pings lost stay at most
# hvnet_max_lost= percent (default 50); both figures are printed.
. /usr/share/hvtest/common.sh

host_port=""
secs=30
start=20
restarts=3
max_lost=50
for word in $(cat /proc/cmdline); do
    case $word in
    hvnet_host_port=*) host_port=${word#hvnet_host_port=} ;;
    hvnet_secs=*) secs=${word#hvnet_secs=} ;;
    hvnet_max_lost=*) max_lost=${word#hvnet_max_lost=} ;;
    hvnet_start=*) start=${word#hvnet_start=} ;;
    hvnet_restarts=*) restarts=${word#hvnet_restarts=} ;;
    esac
done
[ -n "$host_port" ] || fail "no hvnet_host_port= on the command line"

wait_path /sys/class/net/eth0
mac=$(cat /sys/class/net/eth0/address)
run "eth0 up" ip link set eth0 up
run "eth0 address" ip addr add 10.0.2.100/24 dev eth0
ip route add default via 10.0.2.2 || fail "no default route"

step "the peer answers"
wait_ping 10.0.2.101

# attaches: how many times eth0's backend attached again so far
attaches() {
    dmesg | grep -c "eth0: backend (guest [0-9]*) attached"
}

while [ "$(uptime_cs)" -lt $((start * 100)) ]; do
    sleep 0.2
done
before=$(attaches)
step "a TCP stream to the host and pings to the peer, through the restarts"
echo "net_restart_tcp: the stream starts at $(($(uptime_cs) / 100)) s of uptime"
pings=$((secs * 5))
# -w: ping ends by then whatever it got
ping -c "$pings" -i 0.2 -W 1 -w $((secs + 15)) 10.0.2.101 > /tmp/ping.log 2>&1 &
pinger=$!
n=0
# A stream that stops dead (its connection reset while the client still
# sends) must not hang the test: iperf3 gets $secs + 60 s.
until timeout $((secs + 60)) iperf3 -c 10.0.2.2 -p "$host_port" -t "$secs" \
        -f m > /tmp/iperf.log 2>&1; do
    status=$?
    cat /tmp/iperf.log
    # only a stream that never started may be tried again
    grep -q "unable to connect" /tmp/iperf.log ||
        fail "the TCP stream broke (iperf3 exit $status; 124 or more: still running $((secs + 60)) s after it began)"
    n=$((n + 1))
    [ $n -lt 10 ] || fail "no iperf3 server at 10.0.2.2:$host_port"
    sleep 1
done
cat /tmp/iperf.log
rate=$(awk '/sender$/ { print $7 }' /tmp/iperf.log)
echo "net_restart_tcp: the stream of $secs s finished: $rate Mbits/sec"
during=$(($(attaches) - before))
echo "net_restart_tcp: the backend attached again $during times during the stream"
[ "$during" -ge "$restarts" ] ||
    fail "$during restarts during the stream, not $restarts: it started too late"
ip -s link show dev eth0
wait $pinger
# the sequence numbers answered, as ranges
sed -n 's/.*seq=\([0-9]*\) .*/\1/p' /tmp/ping.log | awk '
    NR == 1 { first = last = $1; next }
    $1 != last + 1 { printf "answered %d-%d\n", first, last; first = $1 }
    { last = $1 }
    END { if (NR) printf "answered %d-%d\n", first, last }'
tail -2 /tmp/ping.log
received=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.log)
lost=$((pings - ${received:-0}))
echo "net_restart_tcp: $lost of $pings pings lost ($((lost * 100 / pings))%)"
[ $((lost * 100)) -le $((max_lost * pings)) ] ||
    fail "$lost of $pings pings lost, more than $max_lost%"
[ -d /sys/class/net/eth0 ] && [ "$(cat /sys/class/net/eth0/address)" = "$mac" ] ||
    fail "eth0 changed"
echo "eth0 still $mac"
dmesg | grep -E "eth0: backend" | tail -4
echo "net_restart_tcp: OK"
