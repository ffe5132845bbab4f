# SPDX-License-Identifier: MIT
# Sourced by the tests in /tests (busybox ash). A failing check prints
# "FAIL: <reason>" (init copies the last such reason into the
# HVTEST-RESULT line) and exits 1.

fail() {
    echo "FAIL: $*"
    exit 1
}

step() {
    echo "--- $*"
}

# wait_path PATH: waits up to 10 s for PATH to appear (a device node, an
# interface in /sys/class/net); fails the test if it does not.
wait_path() {
    _n=0
    while [ ! -e "$1" ] && [ $_n -lt 100 ]; do
        sleep 0.1
        _n=$((_n + 1))
    done
    [ -e "$1" ] || fail "no $1 after 10 s"
}

# wait_ping ADDRESS: waits until ADDRESS answers a ping (30 tries of up
# to 1 s each); fails the test if it never does.
wait_ping() {
    _n=0
    until ping -c 1 -W 1 "$1" >/dev/null 2>&1; do
        _n=$((_n + 1))
        [ $_n -lt 30 ] || fail "$1 does not answer after 30 tries"
    done
}

# kernel_carries_on NAME: after a hostile peer did its worst, the kernel
# still runs processes: a child prints "NAME: a child runs", 50 more fork
# and exec, /proc answers.
kernel_carries_on() {
    step "the kernel carries on"
    run "a process" timeout 10 sh -c "echo '$1: a child runs'"
    _i=0
    while [ $_i -lt 50 ]; do
        /bin/true || fail "fork and exec failed"
        _i=$((_i + 1))
    done
    run "/proc" grep -q MemFree /proc/meminfo
}

# run DESCRIPTION COMMAND...: runs COMMAND, fails the test if it fails.
run() {
    _what=$1
    shift
    echo "+ $*"
    "$@" || fail "$_what (exit status $?)"
}

# uptime_cs: seconds since boot in hundredths, from /proc/uptime.
uptime_cs() {
    read -r _up _idle < /proc/uptime
    _s=${_up%.*}
    _f=${_up#*.}
    case $_f in ?) _f=${_f}0 ;; esac
    _f=${_f%"${_f#??}"}
    echo $((_s * 100 + ${_f#0}))
}

# timer_lines: the /proc/interrupts lines whose name mentions a timer
# (timer, twd, tick; any case).
timer_lines() {
    grep -iE 'timer|twd|tick' /proc/interrupts
}

# timer_irqs: the sum of those lines' counts over all CPUs, or "none".
timer_irqs() {
    awk '
        NR == 1 { ncpu = NF; next }
        tolower($0) ~ /timer|twd|tick/ {
            for (i = 2; i <= ncpu + 1 && $i ~ /^[0-9]+$/; i++) sum += $i
            found = 1
        }
        END { if (found) printf "%.0f\n", sum; else print "none" }
    ' /proc/interrupts
}
