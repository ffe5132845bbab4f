#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks, on the built hv.elf (argument 1), that the monitor's hot paths
copy and clear memory a word or a block at a time, never a byte at a
time (issue "fast paths": picolibc as Debian builds it for arm-none-eabi
copies bytes, and a 4 KiB grant copy once cost 16,400 instructions so).

- The hot paths are the functions reachable by direct calls and
  branches from the exception entries into C and the assembly fast
  paths, not counting the cold ones (reporting, halting, the self-check,
  printf's family), at which the walk stops. Calls through a pointer
  (driver interfaces) are not followed.
- A byte loop in one of them (a short loop whose STRB steps through
  memory: writeback or a register offset) is allowed only in memcpy, memmove, memset and string.c's
  helpers, for the last bytes, and only if those routines also move
  blocks: memcpy and memmove reach an LDM and an STM of at least four
  registers, memset at least four word stores or an STM.

Exit 0 if every check passes."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolcheck import check, finish  # noqa: E402

ROOTS = ["fast_svc", "fast_dabt", "fast_pabt", "arch_exception_hypercall",
         "arch_exception_dispatch", "arch_resume_guest"]
# Cold: the walk stops here (a guest is being stopped, the system halts,
# a line is printed).
COLD = re.compile(r"^(dlog|v?s?n?printf|_?_?v?f?printf.*|puts|console_.*|"
                  r"guest_stop_fault|guest_end|guest_shutdown|guest_restart.*|"
                  r"arch_halt|selfcheck_.*|arch_exception_monitor_fault|"
                  r"check_fail.*|__assert.*|abort)$")
STRING_FNS = {"memcpy", "memmove", "memset"}


def disassemble(elf):
    out = subprocess.run(
        ["arm-none-eabi-objdump", "-d", "--no-show-raw-insn", elf],
        stdout=subprocess.PIPE, text=True, check=True).stdout
    funcs = {}   # name -> [(addr, text)]
    starts = {}  # addr -> name
    current = None
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]{8}) <([^>]+)>:$", line)
        if m:
            current = m.group(2)
            funcs[current] = []
            starts[int(m.group(1), 16)] = current
            continue
        m = re.match(r"^\s*([0-9a-f]+):\s+(.*)$", line)
        if m and current is not None:
            funcs[current].append((int(m.group(1), 16), m.group(2).strip()))
    return funcs, starts


BRANCH = re.compile(r"^(b|bl|blx)(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|"
                    r"lt|gt|le|al)?(\.w|\.n)?\s+([0-9a-f]+)\s+<([^>+]+)")


def callees(insns, starts):
    out = set()
    for _, text in insns:
        m = BRANCH.match(text)
        if m and int(m.group(4), 16) in starts:
            out.add(starts[int(m.group(4), 16)])
        elif m and "+" not in text.split("<")[-1]:
            out.add(m.group(5))
    return out


# A store of a byte that steps through memory: post- or pre-indexed with
# writeback, or at a register offset (a field's strb has an immediate).
BYTE_STEP = re.compile(r"strb\S*\s+\w+, \[(\w+\], #-?\d+|[^]]*\]!|\w+, \w+\])")


def byte_store_loops(insns):
    """Short loops (a backward branch, a body of at most 12 instructions)
    that store bytes stepping through memory: [(from, to)]."""
    loops = []
    addrs = [a for a, _ in insns]
    for addr, text in insns:
        m = BRANCH.match(text)
        if not m or m.group(1) != "b":
            continue
        target = int(m.group(4), 16)
        if target > addr or target < addrs[0]:
            continue
        body = [t for a, t in insns if target <= a <= addr]
        if len(body) <= 12 and any(BYTE_STEP.match(t) for t in body):
            loops.append((target, addr))
    return loops


def regcount(text):
    m = re.search(r"\{([^}]*)\}", text)
    if not m:
        return 0
    n = 0
    for part in m.group(1).split(","):
        part = part.strip()
        r = re.match(r"r(\d+)-r(\d+)$", part)
        n += int(r.group(2)) - int(r.group(1)) + 1 if r else 1
    return n


def closure(funcs, starts, roots, stop=None):
    seen = set()
    pending = [r for r in roots if r in funcs]
    while pending:
        f = pending.pop()
        if f in seen:
            continue
        seen.add(f)
        for c in callees(funcs[f], starts):
            if c in funcs and c not in seen and not (stop and stop.match(c)):
                pending.append(c)
    return seen


def moves_blocks(funcs, starts, name):
    insns = [t for f in closure(funcs, starts, [name]) for _, t in funcs[f]]
    if name == "memset":
        return (sum(1 for t in insns if re.match(r"str(d)?\s", t)) >= 4 or
                any(re.match(r"stm", t) and regcount(t) >= 4 for t in insns))
    return (any(re.match(r"ldm", t) and regcount(t) >= 4 for t in insns) and
            any(re.match(r"stm", t) and regcount(t) >= 4 for t in insns))


def main():
    if len(sys.argv) != 2:
        print("usage: test_hot_copies.py hv.elf")
        return 2
    funcs, starts = disassemble(sys.argv[1])
    for root in ROOTS:
        check("hot-path root %s is in the image" % root, root in funcs)
    hot = closure(funcs, starts, ROOTS, COLD)
    check("the hot paths reach memcpy and memset",
          "memcpy" in hot and "memset" in hot, sorted(hot & STRING_FNS))
    string_helpers = closure(funcs, starts, sorted(STRING_FNS))
    for name in sorted(STRING_FNS):
        check("%s moves blocks, not bytes" % name,
              name in funcs and moves_blocks(funcs, starts, name))
    for f in sorted(hot):
        loops = byte_store_loops(funcs[f])
        if not loops:
            continue
        check("%s: its byte loops are a copy's last bytes" % f,
              f in string_helpers,
              "byte-store loops at %s" %
              ", ".join("%08x-%08x" % lp for lp in loops))
    print("%d hot-path functions checked" % len(hot))
    finish()


if __name__ == "__main__":
    sys.exit(main())
