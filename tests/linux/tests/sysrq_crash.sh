#!/bin/sh
# SPDX-License-Identifier: MIT
# sysrq_crash: crashes the kernel on purpose (the harness checks that the
# hypervisor and the other guests survive). Reaching the end is a failure.
. /usr/share/hvtest/common.sh

[ -w /proc/sysrq-trigger ] || fail "no /proc/sysrq-trigger (CONFIG_MAGIC_SYSRQ)"
echo "sysrq_crash: life $(cat /sys/hypervisor/hv/restarts), echo c > /proc/sysrq-trigger"
sync
echo c > /proc/sysrq-trigger
sleep 2
fail "the kernel did not crash"
