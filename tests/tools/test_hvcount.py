#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools.hvcount: bench/linux/hvcount.c, the QEMU plugin scripts/bench-linux
uses to count exceptions and CP15 writes, counts exactly what
tests/tools/hvcount_fixture.S does between its two markers; its profile
(profile=FILE) gives the instructions between the markers block by block,
adding up to the same total, with profile_loop's later turns at its
address.

Arguments: ARM_GCC QEMU WORKDIR. Compiles the plugin with the host's cc,
assembles the fixture, runs it on -M vexpress-a9 under the plugin and
compares the difference of the two MARK lines with the fixture's
counts. Exit 0 if they match; SKIP (exit 77) if QEMU cannot load
plugins."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXPECTED = {"exc": 3, "svc": 2, "und": 1, "pabt": 0, "dabt": 0, "irq": 0,
            "dacr": 3, "ttbr": 1, "contextidr": 1, "tlb": 2, "cache": 3,
            "barrier": 1, "tls": 1, "cond_cp15": 1, "other_cp15": 0}


def main():
    gcc, qemu, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    so = os.path.join(work, "hvcount.so")
    elf = os.path.join(work, "hvcount_fixture.elf")
    out = os.path.join(work, "fixture.hvcount")
    prof = os.path.join(work, "fixture.profile")
    subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra",
                    "-Werror", "-o", so,
                    os.path.join(ROOT, "bench", "linux", "hvcount.c")],
                   check=True)
    subprocess.run([gcc, "-march=armv7-a", "-marm", "-nostdlib",
                    "-static", "-Wl,-Ttext=0x60010000",
                    "-Wl,--build-id=none", "-o", elf,
                    os.path.join(HERE, "hvcount_fixture.S")], check=True)
    run = subprocess.run(
        ["timeout", "30", qemu, "-M", "vexpress-a9", "-nographic",
         "-semihosting", "-icount", "shift=0", "-audiodev", "none,id=n",
         "-plugin", "%s,out=%s,vectors=0x%x,kernel=0,profile=%s" % (
             so, out, symbol(gcc, elf, "vectors"), prof), "-kernel", elf],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode != 0 and "plugin" in run.stdout.lower():
        print("SKIP: %s cannot load plugins: %s" % (qemu, run.stdout.strip()))
        return 77
    if run.returncode != 0:
        print("FAILURE: qemu exited %d: %s" % (run.returncode, run.stdout))
        return 1
    marks = [dict(kv.split("=") for kv in l.split()[2:])
             for l in open(out) if l.startswith("MARK ")]
    if len(marks) != 2:
        print("FAILURE: %d MARK lines in %s, expected 2" % (len(marks), out))
        return 1
    delta = {k: int(marks[1][k]) - int(marks[0][k]) for k in EXPECTED}
    bad = {k: (delta[k], v) for k, v in EXPECTED.items() if delta[k] != v}
    if bad:
        for k, (got, want) in sorted(bad.items()):
            print("FAILURE: %s: counted %d, the fixture does %d" % (
                k, got, want))
        return 1
    why = check_profile(prof, int(marks[1]["insns"]) - int(marks[0]["insns"]),
                        symbol(gcc, elf, "profile_loop"))
    if why:
        print("FAILURE: profile: " + why)
        return 1
    print("SUCCESS: " + " ".join("%s=%d" % kv for kv in sorted(delta.items())))
    return 0


def check_profile(path, insns, loop):
    """None if PATH's window between its PMARK 1 and PMARK 2 adds up to
    INSNS and runs the loop's block at LOOP 9 times (its first turn is in
    the block before it), else what is wrong."""
    windows, cur = {}, None
    for line in open(path):
        f = line.split()
        if f[0] in ("PMARK", "PEND"):
            cur = windows.setdefault(" ".join(f), {})
        elif cur is not None:
            addr = int(f[0], 16)
            cur[addr] = cur.get(addr, 0) + int(f[1])
    w = windows.get("PMARK 2")
    if w is None:
        return "no PMARK 2 section in %s" % path
    if sum(w.values()) != insns:
        return "the window's blocks add up to %d, insns counted %d" % (
            sum(w.values()), insns)
    if w.get(loop) != 9 * 2:
        return "profile_loop (0x%x): %s instructions, expected 18" % (
            loop, w.get(loop))
    return None


def symbol(gcc, elf, name):
    nm = gcc[:-3] + "nm" if gcc.endswith("gcc") else "nm"
    out = subprocess.run([nm, elf], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        addr, _, sym = line.split()
        if sym == name:
            return int(addr, 16)
    raise SystemExit("FAILURE: no symbol '%s' in %s" % (name, elf))


if __name__ == "__main__":
    sys.exit(main())
