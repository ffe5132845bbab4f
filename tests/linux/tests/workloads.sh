#!/bin/sh
# SPDX-License-Identifier: MIT
# workloads: small runs of hackbench, cyclictest and sysbench; each must
# exit 0.
. /usr/share/hvtest/common.sh

step "hackbench (AF_UNIX sockets)"
run "hackbench -g 2 -l 20" hackbench -g 2 -l 20
step "hackbench (pipes)"
run "hackbench -p -g 2 -l 20" hackbench -p -g 2 -l 20
step "cyclictest"
run "cyclictest -t1 -l 200 -i 1000 -q" cyclictest -t1 -l 200 -i 1000 -q
step "sysbench cpu"
run "sysbench cpu" sysbench cpu --cpu-max-prime=2000 --time=0 --events=200 run
step "sysbench threads"
run "sysbench threads" sysbench threads --threads=2 --time=0 --events=200 run
step "sysbench memory"
run "sysbench memory" sysbench memory --memory-total-size=8M run
echo "workloads: OK"
