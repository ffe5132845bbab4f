# SPDX-License-Identifier: MIT
# Sourced after common.sh by the tests that run fio from the disk image
# (disk_fio.sh, soak_blk.sh).
#
# fio_checked WHAT LOG FIO-COMMAND...: runs the command with its output in
# LOG, prints it, and fails the test with fio's own reason: no AIO in the
# kernel, the first verify complaint, a non-zero exit or no "err= 0".
fio_checked() {
    what=$1
    log=$2
    shift 2
    echo "+ $*"
    "$@" >"$log" 2>&1
    rc=$?
    cat "$log"
    if grep -q "io_setup.*\(Function not implemented\|ENOSYS\)\|io_queue_init" \
        "$log"; then
        fail "$what: no AIO in the kernel (io_setup: CONFIG_AIO)"
    fi
    bad=$(grep -m 1 -i "verify: bad\|bad magic\|crc32c.*wanted\|verify failed" "$log")
    [ -z "$bad" ] || fail "$what: $bad"
    [ $rc = 0 ] || fail "$what: fio exit status $rc ($(grep -m 1 -i 'error\|err=' "$log"))"
    grep -q "err= *0" "$log" || fail "$what: no 'err= 0' in fio's report"
}
