#!/bin/sh
# SPDX-License-Identifier: MIT
# isolation_user: user processes cannot touch kernel memory, privileged
# instructions do nothing or fault, hypercall-like SVCs are syscalls.
. /usr/share/hvtest/common.sh

step "kernel addresses, read"
run "kaccess read" kaccess read
step "kernel addresses, write"
run "kaccess write" kaccess write
step "privileged instructions and SVCs"
run "privinsn" privinsn

step "the system still runs"
[ "$(sh -c 'echo alive')" = alive ] || fail "the shell no longer runs"
run "forkexec 10" forkexec 10
echo "isolation_user: OK"
