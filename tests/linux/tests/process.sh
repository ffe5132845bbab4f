#!/bin/sh
# SPDX-License-Identifier: MIT
# process: fork+exec, pipes, signals, threads, VFP state per task.
. /usr/share/hvtest/common.sh

step "fork + execve + waitpid"
run "forkexec 500" forkexec 500

step "pipes"
n=$(seq 1 10000 | wc -l)
[ "$n" -eq 10000 ] || fail "seq 1 10000 | wc -l gave '$n'"
echo "seq 1 10000 | wc -l: $n"
n=$(seq 1 1000 | grep 7 | wc -l)
[ "$n" -eq 271 ] || fail "seq 1 1000 | grep 7 | wc -l gave '$n', not 271"
echo "seq 1 1000 | grep 7 | wc -l: $n"
s=$(seq 1 1000 | awk '{ s += $1 } END { print s }' | cat)
[ "$s" = 500500 ] || fail "seq | awk | cat gave '$s', not 500500"
echo "seq 1 1000 | awk sum | cat: $s"

step "signals: a trapped SIGUSR1"
rm -f /tmp/usr1.ready /tmp/usr1.ran
sh -c 'trap "echo ran > /tmp/usr1.ran; exit 0" USR1
       echo ready > /tmp/usr1.ready
       while :; do sleep 1 & wait $!; done' &
pid=$!
i=0
while [ ! -f /tmp/usr1.ready ]; do
    i=$((i + 1))
    [ $i -le 30 ] || fail "the USR1 child did not start"
    sleep 1
done
kill -USR1 $pid || fail "kill -USR1 $pid failed"
wait $pid
st=$?
[ "$st" -eq 0 ] || fail "the USR1 child exited with status $st"
[ "$(cat /tmp/usr1.ran 2>/dev/null)" = ran ] || fail "the USR1 trap did not run"
echo "USR1 trap ran, child exit status $st"

step "signals: SIGKILL"
sleep 100 &
pid=$!
kill -9 $pid || fail "kill -9 $pid failed"
wait $pid
st=$?
[ "$st" -eq 137 ] || fail "wait status of the killed sleep is $st, not 137 (128+9)"
echo "killed sleep: wait status $st"

step "threads"
run "threads 4" threads 4
run "threads 16" threads 16 2000

step "VFP/NEON registers per task (armhf), across switches and signals"
run "vfpcheck 3 2000" vfpcheck 3 2000

echo "process: OK"
