#!/bin/sh
# SPDX-License-Identifier: MIT
# net_peer: the other end of net_restart (tests/systems/linux-net2.dts):
# eth0 at 10.0.2.101, a web server with /big (6 MiB of random bytes) and
# /big.md5. Never ends: the test guest halts the run.
. /usr/share/hvtest/common.sh

wait_path /sys/class/net/eth0
run "eth0 up" ip link set eth0 up
run "eth0 address" ip addr add 10.0.2.101/24 dev eth0
mkdir -p /www
# 6 MiB of random bytes, their MD5 beside them
dd if=/dev/urandom of=/www/big bs=65536 count=96 2>/dev/null
md5sum /www/big | cut -d' ' -f1 > /www/big.md5
run "httpd" httpd -p 80 -h /www
echo "net_peer: serving at 10.0.2.101"
while :; do sleep 3600; done
