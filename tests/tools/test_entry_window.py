#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks the monitor's exception entry in the built hv.elf (argument 1)
against the rules of hv/arch/arm32/entry.S:

- every vector slot branches to a stub whose first instruction is
  `cpsid aif`: from there on nothing asynchronous (abort, IRQ, FIQ) can
  be taken in the monitor;
- the only boundaries where an SVC or undefined-instruction entry still
  has CPSR.A clear are its vector slot and its stub's first instruction;
  vec_dabt must recognise exactly those four addresses (its literals),
  so an asynchronous abort landing there becomes the guest's.

And the rules of hv/arch/arm32/fastpath.S:

- every STRT and LDRT (guest memory reached with the guest's rights)
  lies between a fast_uaccess_<name>_start and _end label, and
  uaccess_fixup (where vec_dabt sends an abort in SVC mode) tests each
  such range, so a fault there falls back to the C path, never panics;
- every return to a guest (RFE) has CLREX in the six instructions
  before it (nothing after it touches the exclusive monitor).

QEMU cannot raise an asynchronous abort, and a missing range would only
show on a hostile guest's fault, so this is checked on the binary. Exit 0
if every check passes."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from toolcheck import check, finish  # noqa: E402


def disassemble(elf):
    out = subprocess.run(
        ["arm-none-eabi-objdump", "-d", "-j", ".text", elf],
        stdout=subprocess.PIPE, text=True, check=True).stdout
    insns = {}     # address -> (word, text)
    symbols = {}   # name -> address
    order = []
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]{8}) <([^>]+)>:$", line)
        if m:
            symbols[m.group(2)] = int(m.group(1), 16)
            continue
        m = re.match(r"^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$", line)
        if m:
            addr = int(m.group(1), 16)
            insns[addr] = (int(m.group(2), 16), m.group(3).strip())
            order.append(addr)
    # objdump labels an address with one name: aliases (a range's start
    # at a function's entry) come from the symbol table.
    out = subprocess.run(["arm-none-eabi-nm", elf], stdout=subprocess.PIPE,
                         text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tT":
            symbols.setdefault(parts[2], int(parts[0], 16))
    return insns, symbols, order


def main():
    if len(sys.argv) != 2:
        print("usage: test_entry_window.py hv.elf")
        return 2
    insns, symbols, order = disassemble(sys.argv[1])
    base = symbols.get("hv_vectors")
    check("hv_vectors is in the image", base is not None)
    if base is None:
        return 1
    names = ["reset", "undef", "svc", "pabt", "dabt", "reserved", "irq",
             "fiq"]
    stubs = {}
    for i, name in enumerate(names):
        slot = base + 4 * i
        word, text = insns.get(slot, (0, ""))
        m = re.match(r"b\s+([0-9a-f]+)", text)
        check("vector %s is a branch" % name, m is not None, text)
        if not m:
            continue
        target = int(m.group(1), 16)
        stubs[name] = target
        first = insns.get(target, (0, ""))[1]
        check("vector %s: first instruction masks A, I and F" % name,
              re.match(r"cpsid\s+aif\b", first) is not None,
              "%08x: %s" % (target, first))

    # The literals vec_dabt compares lr with: exactly the entry window.
    dabt = stubs.get("dabt")
    loaded = set()
    if dabt is not None:
        start = order.index(dabt)
        for addr in order[start:]:
            if addr != dabt and addr in symbols.values() and \
                    not any(n.startswith("dabt_") for n, a in symbols.items()
                            if a == addr):
                break  # the next stub
            text = insns[addr][1]
            m = re.search(r"ldr(?:ne)?\s+r1, \[pc, #-?\d+\]\s+@ ([0-9a-f]+)",
                          text)
            if m:
                literal = int(m.group(1), 16)
                loaded.add(insns[literal][0])
    window = {base + 4, stubs.get("undef"), base + 8, stubs.get("svc")}
    check("vec_dabt recognises exactly the SVC and undefined-instruction "
          "entry windows", loaded == window,
          "loads %s, window %s" % (sorted(hex(a) for a in loaded),
                                   sorted(hex(a) for a in window if a)))

    # Guest accesses: inside a fixup range, and every range tested.
    ranges = {}
    for name, addr in symbols.items():
        m = re.match(r"fast_uaccess_(\w+)_start$", name)
        if m and "fast_uaccess_%s_end" % m.group(1) in symbols:
            ranges[m.group(1)] = (addr,
                                  symbols["fast_uaccess_%s_end" % m.group(1)])
    check("fastpath.S has its STRT/LDRT ranges", len(ranges) >= 2,
          sorted(ranges))
    for addr in order:
        text = insns[addr][1]
        if re.match(r"(ldr|str)(b|h)?t\b", text):
            inside = [n for n, (lo, hi) in ranges.items() if lo <= addr < hi]
            check("%08x %s is in a fixup range" % (addr, text), inside != [])
    fixup = symbols.get("uaccess_fixup")
    check("uaccess_fixup is in the image", fixup is not None)
    tested = set()
    if fixup is not None:
        for addr in order[order.index(fixup):]:
            if addr != fixup and addr in symbols.values():
                break
            m = re.search(r"ldr\s+r[01], \[pc, #-?\d+\]\s+@ ([0-9a-f]+)",
                          insns[addr][1])
            if m:
                tested.add(insns[int(m.group(1), 16)][0])
    for name, (lo, hi) in sorted(ranges.items()):
        check("uaccess_fixup tests the range %s" % name,
              lo in tested and hi in tested,
              "%08x-%08x" % (lo, hi))

    # Every return to a guest clears the exclusive monitor first.
    for i, addr in enumerate(order):
        if re.match(r"rfe", insns[addr][1]):
            before = [insns[a][1] for a in order[max(0, i - 6):i]]
            check("%08x rfe: clrex just before" % addr,
                  any(t.startswith("clrex") for t in before), before)

    finish()


if __name__ == "__main__":
    sys.exit(main())
