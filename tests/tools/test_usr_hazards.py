#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks guestabi/tools/usr-hazards.py against a fixture with every
hazard and its harmless look-alikes. Exit 0 if all checks pass."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
TOOL = os.path.join(ROOT, "guestabi", "tools", "usr-hazards.py")
FIXTURE = os.path.join(ROOT, "tests", "tools", "usr_hazards_fixture.S")
failures = []


def check(what, cond):
    print("%s: %s" % ("ok" if cond else "FAIL", what))
    if not cond:
        failures.append(what)


def run(*args):
    p = subprocess.run([sys.executable, TOOL] + list(args),
                       stdout=subprocess.PIPE, text=True)
    return p.returncode, p.stdout


with tempfile.TemporaryDirectory() as tmp:
    obj = os.path.join(tmp, "fixture.o")
    subprocess.run(["arm-none-eabi-gcc", "-c", "-march=armv7-a", FIXTURE,
                    "-o", obj], check=True)
    rc, out = run(obj)
    hits = [l for l in out.splitlines() if l.startswith(obj)]
    check("exit status 1 when hazards are found", rc == 1)
    check("exactly the 16 hazards are reported (got %d)" % len(hits),
          len(hits) == 16)
    for harmless in ("CPSR_f,", "ldm r0, {r1, r2}", "mov pc, lr", "bx lr"):
        check("harmless '%s' not reported" % harmless,
              not any(harmless in l for l in hits))
    for kind in ("cpsid i", "cpsie if", "msr CPSR_c", "msr SPSR", "mrs r0, CPSR",
                 "}^", "movs pc, lr", "subs pc, lr", "wfi", "wfe"):
        check("'%s' reported" % kind, any(kind in l for l in hits))
    check("Thumb code scanned too", any("f2+0x2: wfi" in l for l in hits))

    allow = os.path.join(tmp, "allow")
    with open(allow, "w") as f:
        f.write("f1 . # everything in f1 is on purpose\n")
        f.write("f2 ^cps # the Thumb cps too\n")
        f.write("nosuch ^wfi # stale entry\n")
    rc, out = run("--allow", allow, obj)
    left = [l for l in out.splitlines() if l.startswith(obj)]
    check("allow-list removes what it names", len(left) == 2)
    check("stale allow-list entries are reported", "matches nothing" in out)
    with open(allow, "w") as f:
        f.write("f1 ^wfi\n")
    rc, out = run("--allow", allow, obj)
    check("an entry without a reason is an error (exit 2)", rc == 2)
    rc, out = run(os.path.join(tmp, "missing.elf"))
    check("a missing file is an error (exit 2)", rc == 2)

sys.exit(1 if failures else 0)
